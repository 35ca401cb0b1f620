#include "rules/autoreply_rules.hpp"

#include <algorithm>
#include <chrono>

#include "common/utf8.hpp"

namespace govmail::rules {
namespace {

// Control characters other than TAB (and line ends where ALLOW_LINES) are refused.
bool has_control(std::string_view text, bool allow_lines) {
    return std::any_of(text.begin(), text.end(), [allow_lines](char c) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\t' || (allow_lines && (c == '\r' || c == '\n'))) {
            return false;
        }
        return u < 0x20 || u == 0x7f;
    });
}

unsigned digits(std::string_view text) {
    unsigned value = 0;
    for (const char c : text) {
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value;
}

}  // namespace

bool is_autoreply_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    const std::chrono::year_month_day day{
        std::chrono::year(static_cast<int>(digits(text.substr(0, 4)))),
        std::chrono::month(digits(text.substr(5, 2))), std::chrono::day(digits(text.substr(8, 2)))};
    return day.ok();
}

std::optional<std::string> autoreply_setting_problem(const AutoReplySetting& s) {
    if (!is_valid_utf8(s.subject) || has_control(s.subject, false)) {
        return "the subject must be one line of UTF-8 text";
    }
    if (s.subject.size() > kMaxAutoReplySubjectBytes) {
        return "the subject is longer than 250 bytes";
    }
    if (s.body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return "the away text is empty";
    }
    if (!is_valid_utf8(s.body) || has_control(s.body, true)) {
        return "the away text must be UTF-8 text without control characters";
    }
    if (s.body.size() > kMaxAutoReplyBodyBytes) {
        return "the away text is larger than 64 KiB";
    }
    for (const auto& day : {s.starts_on, s.ends_on}) {
        if (day && !is_autoreply_date(*day)) {
            return "'" + *day + "' is not a date (YYYY-MM-DD)";
        }
    }
    if (s.starts_on && s.ends_on && *s.ends_on < *s.starts_on) {
        return "the last day is before the first day";
    }
    if (s.period_days < 1 || s.period_days > kMaxAutoReplyDays) {
        return "the period must be 1 to 365 days";
    }
    return std::nullopt;
}

}  // namespace govmail::rules
