#pragma once

// Statements counting failed logins per login name ('user') and source address ('address').
// A count starts afresh when its window has passed or its lock has ended; reaching the
// threshold sets a lock that lasts the given time.

#include "storage/statement.hpp"

namespace govmail::storage::sql {

// $1 user, $2 address: whether either is locked now.
inline constexpr Statement kThrottleLocked{
    "throttle_locked",
    "SELECT EXISTS (SELECT 1 FROM login_throttle"
    " WHERE ((scope = 'user' AND subject = $1) OR (scope = 'address' AND subject = $2))"
    " AND locked_until > now())",
};

// $1 scope, $2 subject, $3 window seconds, $4 failures that lock, $5 lock seconds.
// Returns the failures counted in the window, whether it is locked, and whether this
// failure set the lock.
inline constexpr Statement kRecordLoginFailure{
    "record_login_failure",
    "INSERT INTO login_throttle AS t (scope, subject, failures, window_started_at, locked_until)"
    " VALUES ($1, $2, 1, now(), CASE WHEN 1 >= $4::integer"
    "   THEN now() + $5::integer * interval '1 second' END)"
    " ON CONFLICT (scope, subject) DO UPDATE SET"
    " failures = CASE WHEN t.window_started_at <= now() - $3::integer * interval '1 second'"
    "   OR t.locked_until <= now() THEN 1 ELSE t.failures + 1 END,"
    " window_started_at = CASE WHEN t.window_started_at <= now() - $3 * interval '1 second'"
    "   OR t.locked_until <= now() THEN now() ELSE t.window_started_at END,"
    " locked_until = CASE"
    "   WHEN t.locked_until > now() THEN t.locked_until"
    "   WHEN (CASE WHEN t.window_started_at <= now() - $3 * interval '1 second'"
    "     OR t.locked_until <= now() THEN 1 ELSE t.failures + 1 END) >= $4"
    "   THEN now() + $5 * interval '1 second' END"
    " RETURNING failures, coalesce(locked_until > now(), false),"
    " coalesce(locked_until = now() + $5 * interval '1 second', false)",
};

// $1 user: forgets its failures after a successful login.
inline constexpr Statement kClearUserFailures{
    "clear_user_failures",
    "DELETE FROM login_throttle WHERE scope = 'user' AND subject = $1",
};

}  // namespace govmail::storage::sql
