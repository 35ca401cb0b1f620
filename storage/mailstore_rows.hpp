#pragma once

// What the Mailstore's files share: reading its rows into typed values, and UID ranges as
// statement parameters. Internal to storage/.

#include "storage/pg/params.hpp"
#include "storage/pg/pg_result.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

// A row of (id, address, state, display name).
Account read_account(const PgResult& r, int row);
// Every row of (id, address, state, display name).
std::vector<Account> read_accounts(const PgResult& r);

// A row of (uid, modseq, flags).
MessageState read_state(const PgResult& r, int row);

// Appends the lower and upper bounds of RANGES as two bigint[] parameters.
Params& add_ranges(Params& params, const UidRanges& ranges);

}  // namespace govmail::storage
