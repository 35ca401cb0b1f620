#pragma once

#include <string>
#include <string_view>

namespace govmail {

// The hex digits by value, for escapes that spell one byte (%XX, +XX).
inline constexpr std::string_view kHexDigits = "0123456789abcdef";
inline constexpr std::string_view kUpperHexDigits = "0123456789ABCDEF";

// Lower-case hex of BYTES (digests and fingerprints in SQL parameters, listings and audit).
std::string hex(std::string_view bytes);

// Upper-case hex of BYTES (queue IDs).
std::string upper_hex(std::string_view bytes);

}  // namespace govmail
