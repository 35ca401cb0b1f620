#include "mime/date.hpp"

#include <array>
#include <charconv>
#include <string>

#include "mime/ascii.hpp"
#include "mime/lexer.hpp"

namespace govmail::mime {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

struct NamedZone {
    std::string_view name;
    int hours;
};
constexpr std::array<NamedZone, 10> kNamedZones = {{
    {"ut", 0},
    {"gmt", 0},
    {"est", -5},
    {"edt", -4},
    {"cst", -6},
    {"cdt", -5},
    {"mst", -7},
    {"mdt", -6},
    {"pst", -8},
    {"pdt", -7},
}};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

std::optional<int> to_int(std::string_view digits) {
    int value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<unsigned> month_number(std::string_view name) {
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (iequals(name.substr(0, 3), kMonths[i])) {
            return static_cast<unsigned>(i + 1);
        }
    }
    return std::nullopt;
}

// Offset east of UTC in seconds.
int zone_offset(std::string_view zone) {
    if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
        const std::optional<int> hhmm = to_int(zone.substr(1));
        if (hhmm) {
            const int seconds = (*hhmm / 100) * 3600 + (*hhmm % 100) * 60;
            return zone[0] == '-' ? -seconds : seconds;
        }
    }
    for (const NamedZone& named : kNamedZones) {
        if (iequals(zone, named.name)) {
            return named.hours * 3600;
        }
    }
    return 0;
}

// The day, month, year, time and zone tokens of a Date value, after an optional weekday.
std::array<std::string, 5> date_tokens(std::string_view value) {
    Lexer lexer(value);
    std::array<std::string, 5> tokens;
    std::size_t count = 0;
    for (lexer.skip_cfws(); !lexer.at_end() && count < tokens.size(); lexer.skip_cfws()) {
        const std::string_view token = lexer.atom(",");
        if (token.empty()) {
            lexer.advance();
            continue;
        }
        const bool is_weekday = count == 0 && !month_number(token) && !to_int(token);
        if (!is_weekday) {
            tokens[count++] = std::string(token);
        }
    }
    return tokens;
}

// Days since 1970-01-01 of the day, month and year tokens.
std::optional<std::int64_t> written_day(const std::array<std::string, 5>& tokens) {
    const std::optional<int> day = to_int(tokens[0]);
    const std::optional<unsigned> month = month_number(tokens[1]);
    std::optional<int> year = to_int(tokens[2]);
    if (!day || !month || !year || *day < 1 || *day > 31) {
        return std::nullopt;
    }
    if (*year < 50) {
        *year += 2000;
    } else if (*year < 1000) {
        *year += 1900;
    }
    return days_from_civil(*year, *month, static_cast<unsigned>(*day));
}

}  // namespace

std::optional<std::int64_t> parse_date(std::string_view value) {
    const auto tokens = date_tokens(value);
    const std::optional<std::int64_t> days = written_day(tokens);
    const std::string_view time = tokens[3];
    if (!days || time.size() < 5 || time[2] != ':') {
        return std::nullopt;
    }
    const std::optional<int> hour = to_int(time.substr(0, 2));
    const std::optional<int> minute = to_int(time.substr(3, 2));
    const std::optional<int> second = time.size() >= 8 ? to_int(time.substr(6, 2)) : 0;
    if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    return *days * 86400 + *hour * 3600 + *minute * 60 + *second - zone_offset(tokens[4]);
}

std::optional<std::int64_t> parse_date_as_written(std::string_view value) {
    return written_day(date_tokens(value));
}

}  // namespace govmail::mime
