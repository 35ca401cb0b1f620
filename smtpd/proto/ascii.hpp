#pragma once

// Locale-independent ASCII helpers for the SMTP parsers. std::isalpha and friends depend on the
// C locale and are undefined for negative char values, so the parsers use these instead.

#include <cstdint>
#include <limits>
#include <string_view>

#include "common/ascii.hpp"

namespace govmail::smtp::ascii {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

// RFC 5322 atext (ASCII part): letters, digits and !#$%&'*+-/=?^_`{|}~
constexpr bool is_atext(char c) {
    return is_alnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

constexpr bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// The case helpers are common/ascii.hpp's, named here for the SMTP parsers.
using govmail::ascii::iequals;
using govmail::ascii::istarts_with;
using govmail::ascii::to_lower;
using govmail::ascii::to_upper;

// Parses 1*max_digits DIGIT into a value, saturating at the type's maximum instead of
// overflowing. Returns false when `text` is empty, too long or not all digits.
constexpr bool parse_decimal(std::string_view text, std::size_t max_digits, std::uint64_t& value) {
    if (text.empty() || text.size() > max_digits) {
        return false;
    }
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    value = 0;
    for (char c : text) {
        if (!is_digit(c)) {
            return false;
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        value = value > (kMax - digit) / 10 ? kMax : value * 10 + digit;
    }
    return true;
}

}  // namespace govmail::smtp::ascii
