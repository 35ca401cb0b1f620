#pragma once

// Locale-independent ASCII helpers shared by the MIME parsers.

#include <string_view>

#include "common/ascii.hpp"

namespace govmail::mime {

// The case helpers are common/ascii.hpp's, named here for the MIME parsers.
using ascii::iequals;
using ascii::lower;
using ascii::to_lower;
using ascii::to_upper;
using ascii::upper;

constexpr bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// `text` without leading and trailing spaces, tabs, CRs and LFs.
std::string_view trim(std::string_view text);

}  // namespace govmail::mime
