#pragma once

// Statements for administering accounts: listing them with their state, changing state.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Columns in AccountDetails order.
#define GOVMAIL_ACCOUNT_DETAIL_COLUMNS                                            \
    " account_id, address, state, display_name, kind, password_hash IS NOT NULL," \
    " extract(epoch FROM created_at)::bigint, org_unit, employee_no "

// $1 state, $2 organisation unit, each NULL for all.
inline constexpr Statement kListAccounts{
    "list_accounts",
    "SELECT" GOVMAIL_ACCOUNT_DETAIL_COLUMNS
    "FROM accounts WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR org_unit = $2)"
    " ORDER BY fold_name(address)",
};
inline constexpr Statement kAccountDetails{
    "account_details",
    "SELECT" GOVMAIL_ACCOUNT_DETAIL_COLUMNS
    "FROM accounts WHERE fold_name(address) = fold_name($1)",
};
// $1 account, $2 new state. The trigger on accounts.state tells the daemons when the account
// may no longer log in (storage/account_events.hpp).
inline constexpr Statement kSetAccountState{
    "set_account_state",
    "UPDATE accounts SET state = $2, updated_at = now() WHERE account_id = $1"
    " RETURNING" GOVMAIL_ACCOUNT_DETAIL_COLUMNS,
};

#undef GOVMAIL_ACCOUNT_DETAIL_COLUMNS

}  // namespace govmail::storage::sql
