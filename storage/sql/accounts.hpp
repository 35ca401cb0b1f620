#pragma once

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kFindAccountByAddress{
    "find_account_by_address",
    "SELECT account_id, address, state, display_name FROM accounts"
    " WHERE fold_name(address) = fold_name($1)",
};
inline constexpr Statement kFindAccountById{
    "find_account_by_id",
    "SELECT account_id, address, state, display_name FROM accounts WHERE account_id = $1",
};
inline constexpr Statement kInsertAccount{
    "insert_account",
    "INSERT INTO accounts (address, display_name, kind, org_unit) VALUES ($1, $2, $3, $4)"
    " RETURNING account_id, address, state, display_name",
};
// Those of the ids in $1 (bigint[]) that may not log in: not active, or gone.
inline constexpr Statement kDisabledAccounts{
    "disabled_accounts",
    "SELECT ids.id FROM unnest($1::bigint[]) AS ids(id)"
    " LEFT JOIN accounts a ON a.account_id = ids.id"
    " WHERE a.account_id IS NULL OR NOT account_may_log_in(a.state)",
};

}  // namespace govmail::storage::sql
