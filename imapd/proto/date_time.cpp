#include "imapd/proto/date_time.hpp"

#include <fmt/format.h>

#include <array>

#include "common/ascii.hpp"

namespace govmail::imap {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads fields off the front of the text; every reader returns nullopt/false on a mismatch.
class DateCursor {
public:
    explicit DateCursor(std::string_view text) : text_(text) {}

    bool at_end() const { return text_.empty(); }

    bool skip(char c) {
        if (text_.empty() || text_.front() != c) {
            return false;
        }
        text_.remove_prefix(1);
        return true;
    }

    // Exactly `min_digits` to `max_digits` decimal digits.
    std::optional<int> digits(std::size_t min_digits, std::size_t max_digits) {
        int value = 0;
        std::size_t count = 0;
        while (count < max_digits && count < text_.size() && is_digit(text_[count])) {
            value = value * 10 + (text_[count] - '0');
            ++count;
        }
        if (count < min_digits) {
            return std::nullopt;
        }
        text_.remove_prefix(count);
        return value;
    }

    std::optional<unsigned> month() {
        if (text_.size() < 3) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < kMonths.size(); ++i) {
            const std::string_view name = kMonths[i];
            if (ascii::to_lower(text_[0]) == ascii::to_lower(name[0]) &&
                ascii::to_lower(text_[1]) == name[1] && ascii::to_lower(text_[2]) == name[2]) {
                text_.remove_prefix(3);
                return static_cast<unsigned>(i + 1);
            }
        }
        return std::nullopt;
    }

    // day "-" month "-" year, the part dates and date-times share.
    std::optional<std::chrono::year_month_day> day_month_year() {
        const auto day = digits(1, 2);
        if (!day || !skip('-')) {
            return std::nullopt;
        }
        const auto month_number = month();
        if (!month_number || !skip('-')) {
            return std::nullopt;
        }
        const auto year = digits(4, 4);
        if (!year) {
            return std::nullopt;
        }
        const std::chrono::year_month_day date{
            std::chrono::year{*year}, std::chrono::month{*month_number},
            std::chrono::day{static_cast<unsigned>(*day)}};
        if (!date.ok()) {
            return std::nullopt;
        }
        return date;
    }

private:
    std::string_view text_;
};

}  // namespace

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
    DateCursor cursor(text);
    auto date = cursor.day_month_year();
    if (!date || !cursor.at_end()) {
        return std::nullopt;
    }
    return date;
}

std::optional<DateTime> parse_date_time(std::string_view text) {
    DateCursor cursor(text);
    cursor.skip(' ');  // date-day-fixed may be SP DIGIT
    const auto date = cursor.day_month_year();
    if (!date || !cursor.skip(' ')) {
        return std::nullopt;
    }
    const auto hour = cursor.digits(2, 2);
    const bool colon1 = cursor.skip(':');
    const auto minute = cursor.digits(2, 2);
    const bool colon2 = cursor.skip(':');
    const auto second = cursor.digits(2, 2);
    if (!hour || !colon1 || !minute || !colon2 || !second || !cursor.skip(' ')) {
        return std::nullopt;
    }
    if (*hour > 23 || *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    int sign = 0;
    if (cursor.skip('+')) {
        sign = 1;
    } else if (cursor.skip('-')) {
        sign = -1;
    } else {
        return std::nullopt;
    }
    const auto zone_hours = cursor.digits(2, 2);
    const auto zone_minutes = cursor.digits(2, 2);
    if (!zone_hours || !zone_minutes || *zone_minutes > 59 || !cursor.at_end()) {
        return std::nullopt;
    }
    const std::chrono::minutes offset{sign * (*zone_hours * 60 + *zone_minutes)};
    const auto local = std::chrono::sys_days{*date} + std::chrono::hours{*hour} +
                       std::chrono::minutes{*minute} + std::chrono::seconds{*second};
    return DateTime{local - offset, offset};
}

std::string format_date_time(const DateTime& date_time) {
    const auto local = date_time.instant + date_time.utc_offset;
    const auto days = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::year_month_day date{days};
    const std::chrono::hh_mm_ss time{local - days};
    const auto offset = date_time.utc_offset.count();
    const long zone = offset < 0 ? -offset : offset;

    return fmt::format(
        "\"{:02}-{}-{:04} {:02}:{:02}:{:02} {}{:02}{:02}\"", static_cast<unsigned>(date.day()),
        kMonths[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
        time.hours().count(), time.minutes().count(), time.seconds().count(),
        offset < 0 ? '-' : '+', zone / 60, zone % 60
    );
}

}  // namespace govmail::imap
