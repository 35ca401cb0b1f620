#pragma once

// IMAP dates ("1-Feb-1994", SEARCH) and date-times ("17-Jul-1996 02:44:25 -0700", APPEND and
// INTERNALDATE), RFC 3501 section 9 (date, date-time).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace govmail::imap {

struct DateTime {
    std::chrono::sys_seconds instant{};  // the moment, in UTC
    std::chrono::minutes utc_offset{};   // the zone it was written in, e.g. -420 for -0700

    bool operator==(const DateTime&) const = default;
};

// "1-Feb-1994" or "01-Feb-1994"; month names are case-insensitive. Nullopt if malformed or the
// day does not exist.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

// The text between the quotes: "17-Jul-1996 02:44:25 -0700" (the day may also be " 7" or "7").
std::optional<DateTime> parse_date_time(std::string_view text);

// The quoted INTERNALDATE form, e.g. "\"07-Jul-1996 02:44:25 -0700\"", in the stored zone.
std::string format_date_time(const DateTime& date_time);

}  // namespace govmail::imap
