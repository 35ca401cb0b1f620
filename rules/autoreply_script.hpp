#pragma once

// The Sieve script (RFC 5228, vacation RFC 5230, date range RFC 5260 with relational
// RFC 5231) that says what an away-reply setting does: the active script ManageSieve shows
// after the portal or `mailadm autoreply set` wrote the setting. It uses only what
// managesieve/proto/sieve_vacation.hpp reads back, so the script and the setting agree:
//
//   # The away reply set in the portal or by mailadm.
//   require ["vacation", "date", "relational"];
//   if allof (currentdate :value "ge" "date" "2026-07-01",
//             currentdate :value "le" "date" "2026-07-14") {
//       vacation :days 3 :subject "Away" "Back on 15 July.";
//   }
//
// Sieve has no word for the scope "senders in the organisation"; a comment says it.

#include <string>
#include <string_view>

#include "rules/autoreply_setting.hpp"

namespace govmail::rules {

// The name the script gets when the account has none yet.
inline constexpr std::string_view kAutoReplyScriptName = "away";

std::string autoreply_script(const AutoReplySetting& setting);

}  // namespace govmail::rules
