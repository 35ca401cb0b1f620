#pragma once

// Locale-independent ASCII helpers shared by the MIME parsers.

#include <string>
#include <string_view>

namespace govmail::mime {

constexpr bool is_wsp(char c) { return c == ' ' || c == '\t'; }

constexpr char to_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr char to_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool iequals(std::string_view a, std::string_view b);
std::string lower(std::string_view text);
std::string upper(std::string_view text);

// `text` without leading and trailing spaces, tabs, CRs and LFs.
std::string_view trim(std::string_view text);

}  // namespace govmail::mime
