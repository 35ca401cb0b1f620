#include "auth/saml/saml_time.hpp"

#include <array>
#include <cstdio>

namespace govmail::auth::saml {
namespace {

// The unsigned decimal TEXT[AT, AT + DIGITS); -1 unless all are digits.
int digits_at(std::string_view text, std::size_t at, std::size_t digits) {
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return -1;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

}  // namespace

std::optional<std::time_t> parse_saml_time(std::string_view text) {
    // YYYY-MM-DDThh:mm:ss[.f+]Z
    constexpr std::size_t kBase = 19;
    if (text.size() < kBase + 1 || text.back() != 'Z' || text[4] != '-' || text[7] != '-' ||
        text[10] != 'T' || text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    const int year = digits_at(text, 0, 4);
    const int month = digits_at(text, 5, 2);
    const int day = digits_at(text, 8, 2);
    const int hour = digits_at(text, 11, 2);
    const int minute = digits_at(text, 14, 2);
    const int second = digits_at(text, 17, 2);
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
        hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
        return std::nullopt;
    }
    const auto rest = text.substr(kBase, text.size() - kBase - 1);
    if (!rest.empty() &&
        (rest.size() < 2 || rest[0] != '.' ||
         digits_at(rest, 1, std::min<std::size_t>(rest.size() - 1, 9)) < 0 || rest.size() > 10)) {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return ::timegm(&tm);
}

std::string format_saml_time(std::time_t when) {
    std::tm tm{};
    ::gmtime_r(&when, &tm);
    std::array<char, 32> out{};
    const auto n = std::strftime(out.data(), out.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(out.data(), n);
}

}  // namespace govmail::auth::saml
