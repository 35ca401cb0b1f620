#pragma once

// An account's away auto-reply setting as the user writes it (mailadm, ManageSieve, the
// portal) and the store keeps it: on/off, subject, text, first and last day, scope, period.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace govmail::rules {

enum class AutoReplyScope { All, Organisation };

std::string_view to_string(AutoReplyScope scope);
std::optional<AutoReplyScope> parse_autoreply_scope(std::string_view text);

inline constexpr int kDefaultAutoReplyDays = 7;

struct AutoReplySetting {
    std::int64_t account = 0;
    std::string address;  // the account's address, the reply's From
    std::string display_name;
    bool enabled = false;
    std::string subject;                   // empty: "Auto: " and the original subject
    std::string body;                      // UTF-8 text
    std::optional<std::string> starts_on;  // first day "YYYY-MM-DD" (local), inclusive
    std::optional<std::string> ends_on;    // last day, inclusive
    AutoReplyScope scope = AutoReplyScope::All;
    int period_days = kDefaultAutoReplyDays;  // at most one reply per sender in this period
};

}  // namespace govmail::rules
