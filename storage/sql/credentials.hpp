#pragma once

// Statements for login credentials: an account's password hash and its app passwords.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kFindPasswordHash{
    "find_password_hash",
    "SELECT password_hash FROM accounts WHERE account_id = $1",
};
inline constexpr Statement kSetPasswordHash{
    "set_password_hash",
    "UPDATE accounts SET password_hash = $2, updated_at = now() WHERE account_id = $1",
};

// Columns every app password query returns, in AppPassword order.
#define GOVMAIL_APP_PASSWORD_COLUMNS                                    \
    " app_password_id, device, extract(epoch FROM created_at)::bigint," \
    " extract(epoch FROM last_used_at)::bigint, host(last_used_from),"  \
    " extract(epoch FROM revoked_at)::bigint "

inline constexpr Statement kInsertAppPassword{
    "insert_app_password",
    "INSERT INTO app_passwords (account_id, device, secret_sha256) VALUES ($1, $2, $3)"
    " RETURNING" GOVMAIL_APP_PASSWORD_COLUMNS,
};
inline constexpr Statement kListAppPasswords{
    "list_app_passwords",
    "SELECT" GOVMAIL_APP_PASSWORD_COLUMNS
    "FROM app_passwords WHERE account_id = $1 ORDER BY app_password_id",
};
inline constexpr Statement kFindAppPassword{
    "find_app_password",
    "SELECT" GOVMAIL_APP_PASSWORD_COLUMNS
    "FROM app_passwords WHERE account_id = $1 AND secret_sha256 = $2 AND revoked_at IS NULL",
};
inline constexpr Statement kRevokeAppPassword{
    "revoke_app_password",
    "UPDATE app_passwords SET revoked_at = now()"
    " WHERE account_id = $1 AND app_password_id = $2 AND revoked_at IS NULL"
    " RETURNING" GOVMAIL_APP_PASSWORD_COLUMNS,
};
inline constexpr Statement kTouchAppPassword{
    "touch_app_password",
    "UPDATE app_passwords SET last_used_at = now(), last_used_from = $3::inet"
    " WHERE account_id = $1 AND app_password_id = $2",
};

#undef GOVMAIL_APP_PASSWORD_COLUMNS

}  // namespace govmail::storage::sql
