#pragma once

#include "storage/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kFindAccountByAddress{
    "find_account_by_address",
    "SELECT account_id, address, state, display_name FROM accounts"
    " WHERE lower(address) = lower($1)",
};
inline constexpr Statement kFindAccountById{
    "find_account_by_id",
    "SELECT account_id, address, state, display_name FROM accounts WHERE account_id = $1",
};
inline constexpr Statement kInsertAccount{
    "insert_account",
    "INSERT INTO accounts (address, display_name, kind) VALUES ($1, $2, $3)"
    " RETURNING account_id, address, state, display_name",
};

}  // namespace govmail::storage::sql
