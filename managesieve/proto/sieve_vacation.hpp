#pragma once

// What govmail understands of a Sieve script (RFC 5228): the away auto-reply of the vacation
// extension (RFC 5230), optionally limited to a date range with currentdate tests (RFC 5260
// with RFC 5231 relational "ge"/"le"), as Roundcube and the Thunderbird add-on write it:
//
//   require ["vacation", "date", "relational"];
//   if allof (currentdate :value "ge" "date" "2026-07-01",
//             currentdate :value "le" "date" "2026-07-14") {
//       vacation :days 7 :subject "Away" "I am away until 14 July.";
//   }
//
// Everything else (other actions, tests or extensions, :from, :mime) is refused with a
// message naming it, so a script never silently means less than it says. :addresses and
// :handle are accepted and have no effect: the delivery decides who is addressed.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "managesieve/proto/sieve_lexer.hpp"

namespace govmail::managesieve {

struct VacationRule {
    std::string subject;  // empty: the engine's "Auto: " + original subject
    std::string body;
    int days = 7;                          // RFC 5230 default; clamped to 1..365
    std::optional<std::string> starts_on;  // "YYYY-MM-DD", from currentdate "ge"
    std::optional<std::string> ends_on;    // from currentdate "le"
};

struct SieveMeaning {
    std::optional<VacationRule> vacation;  // none: the script sends no away reply
};

std::variant<SieveMeaning, SieveError> parse_vacation_script(std::string_view script);

// The extensions a script may require, for the SIEVE capability.
inline constexpr std::string_view kSieveExtensions = "vacation date relational";

}  // namespace govmail::managesieve
