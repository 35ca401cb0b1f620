#pragma once

// LDIF content records (RFC 2849) as directory servers export them: entries separated by
// blank lines, "attr: value" or "attr:: base64" lines, continuation lines starting with a
// space, "#" comments, an optional "version: 1". Attribute options ("cn;lang-ko") are
// dropped. Change records and "attr:< URL" values are refused.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "admin-cli/line_error.hpp"

namespace govmail::admin {

struct LdifEntry {
    std::size_t line = 0;                                         // of its dn
    std::vector<std::pair<std::string, std::string>> attributes;  // in file order, dn first
};

struct LdifContent {
    std::vector<LdifEntry> entries;
    std::vector<LineError> errors;  // an entry with an error is left out
};

LdifContent read_ldif(std::string_view text);

// Whether TEXT looks like LDIF rather than CSV: its first line that is not a comment starts
// with "dn:" or "version:".
bool looks_like_ldif(std::string_view text);

}  // namespace govmail::admin
