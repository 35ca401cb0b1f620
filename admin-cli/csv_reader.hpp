#pragma once

// CSV as RFC 4180 writes it and spreadsheets save it: comma-separated fields, double quotes
// around fields holding commas, quotes or line breaks ("" for a quote), CRLF or LF line
// ends. Blank lines are skipped. Each record keeps the line it starts on, for messages.

#include <string>
#include <string_view>
#include <vector>

#include "admin-cli/line_error.hpp"

namespace govmail::admin {

struct CsvRecord {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

struct CsvContent {
    std::vector<CsvRecord> records;
    std::vector<LineError> errors;  // a record with a quoting error is left out
};

CsvContent read_csv(std::string_view text);

}  // namespace govmail::admin
