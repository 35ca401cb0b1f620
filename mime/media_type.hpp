#pragma once

// Content-Type (RFC 2045 section 5) and Content-Disposition (RFC 2183) values. Written here
// rather than with mimetic::ContentType, which splits quoted values at ';' (boundary="a;b")
// and keeps comments in values; a wrong boundary would give a wrong structure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::mime {

struct Param {
    std::string name;   // as written; compare case-insensitively
    std::string value;  // quotes and quoted-pairs removed
};

struct MediaType {
    std::string type;     // lower case
    std::string subtype;  // lower case
    std::vector<Param> params;
};

struct Disposition {
    std::string type;  // as written
    std::vector<Param> params;
};

// nullopt when there is no valid "type/subtype" (RFC 2045 5.2: the caller then uses the default).
std::optional<MediaType> parse_content_type(std::string_view value);

// nullopt when the value has no disposition type.
std::optional<Disposition> parse_disposition(std::string_view value);

// Value of the first parameter called `name` (case-insensitive), or nullptr.
const std::string* find_param(const std::vector<Param>& params, std::string_view name);

}  // namespace govmail::mime
