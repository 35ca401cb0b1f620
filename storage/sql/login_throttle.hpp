#pragma once

// Statements of the brute-force throttle: failed logins per login name ('user') and source
// address ('address') in login_throttle, and the password checks under way in login_checks.
// A check is opened before its password is compared and closed with its result, so parallel
// guesses count against the limit before any of them is known to fail. A failure count
// starts afresh when its window has passed without a lock, or when its lock has ended.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Whether a row's failures belong to a finished window or an ended lock.
#define GOVMAIL_THROTTLE_STALE           \
    " coalesce(t.locked_until <= now()," \
    " t.window_started_at <= now() - $3::integer * interval '1 second') "

// $1 user, $2 address, $3 window seconds. Creates or refreshes both rows and locks them for
// the transaction (serialising checks of that name or address); returns each scope's
// failures and whether it is locked.
inline constexpr Statement kOpenThrottleRows{
    "open_throttle_rows",
    "INSERT INTO login_throttle AS t (scope, subject, failures, window_started_at)"
    " VALUES ('user', $1, 0, now()), ('address', $2, 0, now())"
    " ON CONFLICT (scope, subject) DO UPDATE SET"
    " failures = CASE WHEN" GOVMAIL_THROTTLE_STALE
    "THEN 0 ELSE t.failures END,"
    " window_started_at = CASE WHEN" GOVMAIL_THROTTLE_STALE
    "   THEN now() ELSE t.window_started_at END,"
    " locked_until = CASE WHEN t.locked_until <= now() THEN NULL ELSE t.locked_until END"
    " RETURNING scope, failures, coalesce(locked_until > now(), false)",
};

#undef GOVMAIL_THROTTLE_STALE

// $1 user, $2 address, $3 lease seconds: checks under way for each (those older than the
// lease are dropped: their process died).
inline constexpr Statement kCountLoginChecks{
    "count_login_checks",
    "WITH stale AS (DELETE FROM login_checks WHERE (user_key = $1 OR address = $2)"
    "   AND started_at <= now() - $3::integer * interval '1 second')"
    " SELECT count(*) FILTER (WHERE user_key = $1), count(*) FILTER (WHERE address = $2)"
    " FROM login_checks WHERE (user_key = $1 OR address = $2)"
    " AND started_at > now() - $3::integer * interval '1 second'",
};

// $1 user, $2 address. Returns the check's id.
inline constexpr Statement kInsertLoginCheck{
    "insert_login_check",
    "INSERT INTO login_checks (user_key, address) VALUES ($1, $2) RETURNING check_id",
};

// $1 scope, $2 subject, $3 limit, $4 lock seconds: a check of that name or address failed.
// Counts the failure; the count reaching the limit locks. Returns the failures and whether
// this statement set the lock. Run for 'user' before 'address' (the order kOpenThrottleRows
// locks them in), then kCloseLoginCheck, in one transaction: nobody sees the check closed
// before its failure counted.
inline constexpr Statement kFailThrottleScope{
    "fail_throttle_scope",
    "UPDATE login_throttle t SET failures = t.failures + 1,"
    " locked_until = CASE WHEN t.failures + 1 >= $3::integer"
    "   AND NOT coalesce(t.locked_until > now(), false)"
    "   THEN now() + $4::integer * interval '1 second' ELSE t.locked_until END"
    " WHERE t.scope = $1 AND t.subject = $2"
    " RETURNING t.failures, coalesce(t.locked_until = now() + $4::integer * interval '1 second',"
    " false)",
};

// $1 check id, $2 user, $3 address: the check succeeded. Closes it and forgets the name's
// failures (the address's stay: one good login must not buy a sprayer new guesses).
// Returns whether the name or address is locked now.
inline constexpr Statement kPassLoginCheck{
    "pass_login_check",
    "WITH closed AS (DELETE FROM login_checks WHERE check_id = $1),"
    " cleared AS (UPDATE login_throttle SET failures = 0"
    "   WHERE scope = 'user' AND subject = $2 AND NOT coalesce(locked_until > now(), false))"
    " SELECT EXISTS (SELECT 1 FROM login_throttle"
    " WHERE ((scope = 'user' AND subject = $2) OR (scope = 'address' AND subject = $3))"
    " AND locked_until > now())",
};

// $1 check id: the check ended without a verdict on the password (internal error).
inline constexpr Statement kCloseLoginCheck{
    "close_login_check",
    "DELETE FROM login_checks WHERE check_id = $1",
};

}  // namespace govmail::storage::sql
