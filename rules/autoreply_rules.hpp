#pragma once

// What an away auto-reply setting may hold, whoever sets it (mailadm, ManageSieve): one line
// of subject, a non-empty UTF-8 text without control characters, real dates in order and a
// period of 1 to 365 days. Sizes are bounded so a reply stays an away note.

#include <optional>
#include <string>
#include <string_view>

#include "rules/autoreply_setting.hpp"

namespace govmail::rules {

inline constexpr std::size_t kMaxAutoReplySubjectBytes = 250;     // what a reply's Subject keeps
inline constexpr std::size_t kMaxAutoReplyBodyBytes = 64 * 1024;  // an away note
inline constexpr int kMaxAutoReplyDays = 365;

// True for a real calendar day written "YYYY-MM-DD".
bool is_autoreply_date(std::string_view text);

// Why SETTING cannot be stored (a sentence for the user), or nullopt when it can.
std::optional<std::string> autoreply_setting_problem(const AutoReplySetting& setting);

}  // namespace govmail::rules
