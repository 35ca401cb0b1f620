#pragma once

// SAML's xs:dateTime instants (SAML core section 1.3.3: UTC, written with "Z"), e.g.
// "2026-11-23T09:30:00Z" or with fractional seconds "2026-11-23T09:30:00.123Z". Untrusted input:
// parsing never throws.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace govmail::auth::saml {

// Unix seconds of TEXT (fractions dropped); nullopt unless it is a valid UTC instant.
std::optional<std::time_t> parse_saml_time(std::string_view text);

std::string format_saml_time(std::time_t when);

}  // namespace govmail::auth::saml
