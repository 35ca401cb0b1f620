#pragma once

// A day's directory export as `mailadm directory sync` reads it: CSV with a header row, or
// LDIF; UTF-8 (with or without BOM) or CP949 (text_encoding.hpp); columns as named in
// directory_fields.hpp. Every row is checked; a file with any bad row is applied not at all
// (a person on a bad row would otherwise count as gone and be retired).

#include <string>
#include <string_view>
#include <vector>

#include "admin-cli/line_error.hpp"
#include "rules/directory_person.hpp"

namespace govmail::admin {

struct DirectoryRow {
    std::size_t line = 0;
    rules::DirectoryPerson person;
};

struct DirectoryFile {
    std::string format;    // "csv" or "ldif"
    std::string encoding;  // as decode_text names it
    std::vector<DirectoryRow> rows;
    std::vector<LineError> errors;             // by line
    std::vector<std::string> ignored_columns;  // names not in directory_fields.hpp
};

DirectoryFile read_directory(std::string_view bytes);

}  // namespace govmail::admin
