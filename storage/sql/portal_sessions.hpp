#pragma once

// Statements for the portal's sign-in sessions. A session is found only while it is within
// both its absolute and its idle expiry and its account is active.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kInsertPortalSession{
    "insert_portal_session",
    "INSERT INTO portal_sessions (session_sha256, account_id, csrf_token, expires_at)"
    " VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
};
inline constexpr Statement kTouchPortalSession{
    "touch_portal_session",
    "UPDATE portal_sessions s SET last_seen_at = now() FROM accounts a"
    " WHERE s.session_sha256 = $1 AND s.expires_at > now()"
    " AND s.last_seen_at > now() - make_interval(secs => $2)"
    " AND a.account_id = s.account_id AND account_may_log_in(a.state)"
    " RETURNING s.account_id, a.address, a.display_name, s.csrf_token",
};
inline constexpr Statement kDeletePortalSession{
    "delete_portal_session",
    "DELETE FROM portal_sessions WHERE session_sha256 = $1",
};
// $1 account, $2 the session to keep: every other session of the account ends.
inline constexpr Statement kDeleteOtherPortalSessions{
    "delete_other_portal_sessions",
    "DELETE FROM portal_sessions WHERE account_id = $1 AND session_sha256 <> $2",
};
inline constexpr Statement kDeleteEndedPortalSessions{
    "delete_ended_portal_sessions",
    "DELETE FROM portal_sessions WHERE expires_at <= now()"
    " OR last_seen_at <= now() - make_interval(secs => $1)",
};

}  // namespace govmail::storage::sql
