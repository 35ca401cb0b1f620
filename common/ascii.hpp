#pragma once

// Locale-independent ASCII case helpers for every parser and checker: std::tolower and friends
// depend on the C locale and are undefined for negative char values. Only the letters A-Z and
// a-z change; every other byte (UTF-8 included) is kept as it is.

#include <cstddef>
#include <string>
#include <string_view>

namespace govmail::ascii {

constexpr char to_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr char to_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// Whether A and B are the same text but for the case of ASCII letters.
constexpr bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_lower(a[i]) != to_lower(b[i])) {
            return false;
        }
    }
    return true;
}

constexpr bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// TEXT with ASCII letters lowered (upper-cased), every other byte kept.
std::string lower(std::string_view text);
std::string upper(std::string_view text);

}  // namespace govmail::ascii
