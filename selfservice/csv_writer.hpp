#pragma once

// Writing CSV for spreadsheet software: RFC 4180 quoting and CRLF line ends, a UTF-8 byte
// order mark so Korean text opens correctly, and cells that would start a formula
// ("=", "@", "+", "-" followed by text) made inert with a leading apostrophe.

#include <string>
#include <string_view>
#include <vector>

namespace govmail::selfservice {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// One cell, quoted when it holds a comma, quote, CR or LF (quotes doubled).
std::string csv_cell(std::string_view value);
// One record: the cells joined by commas, ended by CRLF.
std::string csv_record(const std::vector<std::string>& cells);

}  // namespace govmail::selfservice
