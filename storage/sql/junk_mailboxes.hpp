#pragma once

// Spam delivery: which mailbox of an account is its \Junk mailbox (RFC 6154).

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 bigint[] accounts: (account_id, name) of each one's \Junk mailbox, for those that have one.
inline constexpr Statement kJunkMailboxNames{
    "junk_mailbox_names",
    "SELECT account_id, name FROM mailboxes"
    " WHERE account_id = ANY ($1::bigint[]) AND special_use = '\\Junk'",
};

}  // namespace govmail::storage::sql
