#pragma once

// Statements counting login attempts per login name ('user') and source address ('address').
// Every attempt is counted before its password is checked, so a burst of parallel guesses
// cannot all be checked before the lock falls; a success takes its count back. A count starts
// afresh when its window has passed without a lock, or when its lock has ended.

#include "storage/statement.hpp"

namespace govmail::storage::sql {

// $1 scope, $2 subject, $3 window seconds. Returns the attempts counted in the window and
// whether the subject is locked.
inline constexpr Statement kCountLoginAttempt{
    "count_login_attempt",
    "INSERT INTO login_throttle AS t (scope, subject, failures, window_started_at)"
    " VALUES ($1, $2, 1, now())"
    " ON CONFLICT (scope, subject) DO UPDATE SET"
    " failures = CASE WHEN coalesce(t.locked_until <= now(),"
    "   t.window_started_at <= now() - $3::integer * interval '1 second')"
    "   THEN 1 ELSE t.failures + 1 END,"
    " window_started_at = CASE WHEN coalesce(t.locked_until <= now(),"
    "   t.window_started_at <= now() - $3 * interval '1 second')"
    "   THEN now() ELSE t.window_started_at END,"
    " locked_until = CASE WHEN t.locked_until <= now() THEN NULL ELSE t.locked_until END"
    " RETURNING failures, coalesce(locked_until > now(), false)",
};

// $1 scope, $2 subject, $3 lock seconds. Returns a row when this call set the lock.
inline constexpr Statement kLockLogins{
    "lock_logins",
    "UPDATE login_throttle SET locked_until = now() + $3::integer * interval '1 second'"
    " WHERE scope = $1 AND subject = $2 AND NOT coalesce(locked_until > now(), false)"
    " RETURNING subject",
};

// $1 user, $2 address: whether either is locked now.
inline constexpr Statement kThrottleLocked{
    "throttle_locked",
    "SELECT EXISTS (SELECT 1 FROM login_throttle"
    " WHERE ((scope = 'user' AND subject = $1) OR (scope = 'address' AND subject = $2))"
    " AND locked_until > now())",
};

// $1 user: forgets its failures after a successful login.
inline constexpr Statement kClearUserAttempts{
    "clear_user_attempts",
    "DELETE FROM login_throttle WHERE scope = 'user' AND subject = $1",
};

// $1 address: takes back the attempt a successful login counted.
inline constexpr Statement kRefundAddressAttempt{
    "refund_address_attempt",
    "UPDATE login_throttle SET failures = greatest(failures - 1, 0)"
    " WHERE scope = 'address' AND subject = $1",
};

}  // namespace govmail::storage::sql
