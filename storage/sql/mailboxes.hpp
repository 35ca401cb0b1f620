#pragma once

#include "storage/statement.hpp"

namespace govmail::storage::sql {

// Columns every mailbox query returns, in the order mailstore.cpp reads them.
#define GOVMAIL_MAILBOX_COLUMNS                                                              \
    "mailbox_id, name, special_use, subscribed, uidvalidity, uidnext, highestmodseq, "       \
    "(SELECT count(*) FROM mailbox_messages m"                                               \
    "  WHERE m.account_id = mailboxes.account_id AND m.mailbox_id = mailboxes.mailbox_id), " \
    "(SELECT count(*) FROM mailbox_messages m"                                               \
    "  WHERE m.account_id = mailboxes.account_id AND m.mailbox_id = mailboxes.mailbox_id"    \
    "  AND NOT ('\\Seen' = ANY (m.flags)))"

inline constexpr Statement kInsertMailbox{
    "insert_mailbox",
    "INSERT INTO mailboxes (account_id, name, special_use) VALUES ($1, $2, $3)"
    " RETURNING " GOVMAIL_MAILBOX_COLUMNS,
};
inline constexpr Statement kListMailboxes{
    "list_mailboxes",
    "SELECT " GOVMAIL_MAILBOX_COLUMNS " FROM mailboxes WHERE account_id = $1 ORDER BY name",
};
inline constexpr Statement kFindMailbox{
    "find_mailbox",
    "SELECT " GOVMAIL_MAILBOX_COLUMNS " FROM mailboxes WHERE account_id = $1 AND name = $2",
};
// Renames the mailbox and every mailbox below it ("/" is the hierarchy delimiter).
inline constexpr Statement kRenameMailbox{
    "rename_mailbox",
    "UPDATE mailboxes SET name = $3 || substr(name, length($2) + 1)"
    " WHERE account_id = $1 AND (name = $2 OR left(name, length($2) + 1) = $2 || '/')",
};
inline constexpr Statement kDeleteMailbox{
    "delete_mailbox",
    "DELETE FROM mailboxes WHERE account_id = $1 AND name = $2 RETURNING mailbox_id",
};
inline constexpr Statement kSetSubscribed{
    "set_subscribed",
    "UPDATE mailboxes SET subscribed = $3 WHERE account_id = $1 AND name = $2",
};

#undef GOVMAIL_MAILBOX_COLUMNS

}  // namespace govmail::storage::sql
