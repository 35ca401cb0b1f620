#pragma once

// The ManageSieve script of an account (RFC 5804), kept in its autoreply_settings row: name,
// text and whether it is active. Activating it writes the away reply it describes.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 account: the script's name, text and whether it is active (and the reply on).
inline constexpr Statement kFindSieveScript{
    "find_sieve_script",
    "SELECT sieve_name, coalesce(sieve_script, ''), sieve_active AND enabled"
    " FROM autoreply_settings WHERE account_id = $1 AND sieve_name IS NOT NULL",
};
// $1 account, $2 name, $3 text: stored unless the account has a script of another name
// (no row returned then).
inline constexpr Statement kPutSieveScript{
    "put_sieve_script",
    "INSERT INTO autoreply_settings AS s (account_id, sieve_name, sieve_script)"
    " VALUES ($1, $2, $3) ON CONFLICT (account_id) DO UPDATE"
    " SET sieve_name = EXCLUDED.sieve_name, sieve_script = EXCLUDED.sieve_script"
    " WHERE s.sieve_name IS NULL OR s.sieve_name = EXCLUDED.sieve_name RETURNING account_id",
};
// $1 account, $2 subject, $3 body, $4 first day or NULL, $5 last day or NULL, $6 period in
// days: the away reply the script describes, switched on, the script marked active.
inline constexpr Statement kActivateSieveScript{
    "activate_sieve_script",
    "UPDATE autoreply_settings SET enabled = true, sieve_active = true, subject = $2,"
    " body = $3, starts_on = $4::date, ends_on = $5::date, period_days = $6"
    " WHERE account_id = $1 AND sieve_name IS NOT NULL RETURNING account_id",
};
// $1 account: no active script and the away reply off.
inline constexpr Statement kDeactivateSieveScript{
    "deactivate_sieve_script",
    "UPDATE autoreply_settings SET enabled = false, sieve_active = false WHERE account_id = $1",
};
// $1 account, $2 old name, $3 new name.
inline constexpr Statement kRenameSieveScript{
    "rename_sieve_script",
    "UPDATE autoreply_settings SET sieve_name = $3 WHERE account_id = $1 AND sieve_name = $2"
    " RETURNING account_id",
};
// $1 account, $2 name: the script removed unless it is active.
inline constexpr Statement kDeleteSieveScript{
    "delete_sieve_script",
    "UPDATE autoreply_settings SET sieve_name = NULL, sieve_script = NULL, sieve_active = false"
    " WHERE account_id = $1 AND sieve_name = $2 AND NOT (sieve_active AND enabled)"
    " RETURNING account_id",
};

}  // namespace govmail::storage::sql
