#pragma once

// The Date: header (RFC 5322 section 3.3, obsolete forms included) as a Unix time.

#include <cstdint>
#include <optional>
#include <string_view>

namespace govmail::mime {

// "[Mon,] 2 Jan 2006 15:04[:05] +0900" and the obsolete forms: comments, two-digit years,
// named zones (UT, GMT, EST ... PDT; military and unknown zones count as +0000). nullopt when
// no day, month, year and time can be read.
std::optional<std::int64_t> parse_date(std::string_view value);

// The date as written in VALUE, time and zone disregarded (RFC 3501 SENTON and the like), as
// days since 1970-01-01; nullopt when no day, month and year can be read.
std::optional<std::int64_t> parse_date_as_written(std::string_view value);

}  // namespace govmail::mime
