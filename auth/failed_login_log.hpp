#pragma once

// One log line per failed login, for fail2ban and SIEMs (conf/fail2ban/govmail.conf matches
// it). The format is stable; fields are added only at the end:
//
//   <time> warning auth: login failed: remote=<address> service=<imap|smtp|sieve|portal>
//       method=<password|external|bearer|onepass> user="<name>" reason="<reason>"
//
// (one line). The remote address comes first, before anything the client chose; the user
// name (at most 100 bytes) and the reason are quoted, and in them `"`, `\`, control
// characters and bytes outside ASCII are written \xHH.
// The audit log keeps the same attempt with its account.

#include <string>
#include <string_view>

namespace govmail::auth {

// The audit actions that end a login as failed: "login.failure", "login.refused" and the SMS
// code's "login.code_wrong", "login.code_void" and "login.code_limit". Not "login.lock" (it
// precedes its attempt's "login.failure"), "login.code_expired" (a new code is sent, or
// "login.code_limit" follows) nor "login.code_unsent" (the gateway failed: a temporary
// failure of the server, not of the client).
bool is_failed_login(std::string_view audit_action);

// The line's text after the level: "auth: login failed: remote=...".
std::string failed_login_line(
    std::string_view remote,
    std::string_view service,
    std::string_view method,
    std::string_view user,
    std::string_view reason
);

// Logs failed_login_line(...) as a warning.
void log_failed_login(
    std::string_view remote,
    std::string_view service,
    std::string_view method,
    std::string_view user,
    std::string_view reason
);

}  // namespace govmail::auth
