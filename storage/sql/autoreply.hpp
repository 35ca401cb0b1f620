#pragma once

// Away auto-replies (RFC 3834, RFC 5230 vacation): the per-account setting mailadm manages,
// the enabled settings a delivery looks up for its targets, and the per-sender log that
// allows one reply per period.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

#define GOVMAIL_AUTOREPLY_COLUMNS                                                     \
    "s.account_id, a.address, a.display_name, s.enabled, s.subject, s.body,"          \
    " to_char(s.starts_on, 'YYYY-MM-DD'), to_char(s.ends_on, 'YYYY-MM-DD'), s.scope," \
    " s.period_days"

// $1 bigint[] of accounts: the enabled settings among them (what a delivery checks).
inline constexpr Statement kEnabledAutoreplies{
    "enabled_autoreplies",
    "SELECT " GOVMAIL_AUTOREPLY_COLUMNS
    " FROM autoreply_settings s JOIN accounts a USING (account_id)"
    " WHERE s.account_id = ANY ($1::bigint[]) AND s.enabled ORDER BY s.account_id",
};
// $1 account: its setting, enabled or not.
inline constexpr Statement kFindAutoreply{
    "find_autoreply",
    "SELECT " GOVMAIL_AUTOREPLY_COLUMNS
    " FROM autoreply_settings s JOIN accounts a USING (account_id) WHERE s.account_id = $1",
};
// $1 account, $2 subject, $3 body, $4 first day or NULL, $5 last day or NULL, $6 scope,
// $7 period in days, $8 the Sieve script saying so, $9 its name when the account has no
// script yet: the setting replaced and switched on, the script stored and active, so
// ManageSieve shows what the setting does.
inline constexpr Statement kSetAutoreply{
    "set_autoreply",
    "INSERT INTO autoreply_settings AS s (account_id, enabled, subject, body, starts_on,"
    " ends_on, scope, period_days, sieve_script, sieve_name, sieve_active)"
    " VALUES ($1, true, $2, $3, $4::date, $5::date, $6, $7, $8, $9, true)"
    " ON CONFLICT (account_id) DO UPDATE SET enabled = true, subject = EXCLUDED.subject,"
    " body = EXCLUDED.body, starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on,"
    " scope = EXCLUDED.scope, period_days = EXCLUDED.period_days,"
    " sieve_script = EXCLUDED.sieve_script,"
    " sieve_name = coalesce(s.sieve_name, EXCLUDED.sieve_name), sieve_active = true",
};
// $1 account: switched off (the text is kept); returns the row when it was on.
inline constexpr Statement kAutoreplyOff{
    "autoreply_off",
    "UPDATE autoreply_settings SET enabled = false WHERE account_id = $1 AND enabled"
    " RETURNING account_id",
};
// $1 account, $2 sender (lower-cased), $3 period in days: returns a row when ACCOUNT may
// answer SENDER now (no reply within the period), recording the reply. Concurrent
// deliveries serialise on the row, so only one of them gets it.
inline constexpr Statement kClaimAutoreply{
    "claim_autoreply",
    "INSERT INTO autoreply_log AS l (account_id, sender, replied_at) VALUES ($1, $2, now())"
    " ON CONFLICT (account_id, sender) DO UPDATE SET replied_at = now()"
    " WHERE l.replied_at <= now() - make_interval(days => $3::integer)"
    " RETURNING account_id",
};

#undef GOVMAIL_AUTOREPLY_COLUMNS

}  // namespace govmail::storage::sql
