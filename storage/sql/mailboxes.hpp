#pragma once

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Columns every mailbox query returns, in the order mailstore.cpp reads them; with the
// counts of messages, of unseen ones and of recent ones (\\Recent) and the messages' total size
// after them (which read every message of the box).
#define GOVMAIL_MAILBOX_FIELDS \
    "mailbox_id, name, special_use, subscribed, uidvalidity, uidnext, highestmodseq"
#define GOVMAIL_MAILBOX_COLUMNS                                                              \
    GOVMAIL_MAILBOX_FIELDS                                                                   \
    ", "                                                                                     \
    "(SELECT count(*) FROM mailbox_messages m"                                               \
    "  WHERE m.account_id = mailboxes.account_id AND m.mailbox_id = mailboxes.mailbox_id), " \
    "(SELECT count(*) FROM mailbox_messages m"                                               \
    "  WHERE m.account_id = mailboxes.account_id AND m.mailbox_id = mailboxes.mailbox_id"    \
    "  AND NOT ('\\Seen' = ANY (m.flags))), "                                                \
    "(SELECT count(*) FROM mailbox_messages m"                                               \
    "  WHERE m.account_id = mailboxes.account_id AND m.mailbox_id = mailboxes.mailbox_id"    \
    "  AND m.uid > mailboxes.recent_above_uid), "                                            \
    "(SELECT coalesce(sum(m.size), 0) FROM mailbox_messages m"                               \
    "  WHERE m.account_id = mailboxes.account_id AND m.mailbox_id = mailboxes.mailbox_id)"

inline constexpr Statement kInsertMailbox{
    "insert_mailbox",
    "INSERT INTO mailboxes (account_id, name, special_use) VALUES ($1, $2, $3)"
    " RETURNING " GOVMAIL_MAILBOX_COLUMNS,
};
// Serialises the mailbox creations of one account, so the count kInsertMailboxWithin checks
// is the count it leaves (FOR NO KEY UPDATE: foreign-key checks on the row still pass).
inline constexpr Statement kLockAccountMailboxes{
    "lock_account_mailboxes",
    "SELECT 1 FROM accounts WHERE account_id = $1 FOR NO KEY UPDATE",
};
// Inserts mailbox $2 unless the account already holds $4 others or $2 itself: no row then
// (an existing $2 is a normal answer, e.g. CREATE "a/b" makes parent "a" when needed, so it
// is not left to fail as a duplicate key, which the server would log as an error).
inline constexpr Statement kInsertMailboxWithin{
    "insert_mailbox_within",
    "INSERT INTO mailboxes (account_id, name, special_use) SELECT $1, $2, $3"
    " WHERE (SELECT count(*) FROM mailboxes WHERE account_id = $1 AND name <> $2) < $4"
    " ON CONFLICT (account_id, name) DO NOTHING"
    " RETURNING " GOVMAIL_MAILBOX_COLUMNS,
};
// The names below mailbox $2, which a rename of $2 renames too.
inline constexpr Statement kChildMailboxNames{
    "child_mailbox_names",
    "SELECT name FROM mailboxes"
    " WHERE account_id = $1 AND left(name, length($2) + 1) = $2 || '/' ORDER BY name",
};
inline constexpr Statement kListMailboxes{
    "list_mailboxes",
    "SELECT " GOVMAIL_MAILBOX_COLUMNS " FROM mailboxes WHERE account_id = $1 ORDER BY name",
};
inline constexpr Statement kFindMailbox{
    "find_mailbox",
    "SELECT " GOVMAIL_MAILBOX_FIELDS " FROM mailboxes WHERE account_id = $1 AND name = $2",
};
inline constexpr Statement kMailboxStatus{
    "mailbox_status",
    "SELECT " GOVMAIL_MAILBOX_COLUMNS " FROM mailboxes WHERE account_id = $1 AND name = $2",
};
// Renames the mailbox and every mailbox below it ("/" is the hierarchy delimiter).
inline constexpr Statement kRenameMailbox{
    "rename_mailbox",
    "UPDATE mailboxes SET name = $3 || substr(name, length($2) + 1)"
    " WHERE account_id = $1 AND (name = $2 OR left(name, length($2) + 1) = $2 || '/')",
};
// Deletes mailbox $2 and its messages (ON DELETE CASCADE); returns the body hashes (hex)
// those messages held, NULL for an empty mailbox, no row when there is no such mailbox.
inline constexpr Statement kDeleteMailbox{
    "delete_mailbox",
    "WITH held AS ("
    "  SELECT encode(m.body_hash, 'hex') AS hash FROM mailbox_messages m JOIN mailboxes mb"
    "  USING (account_id, mailbox_id) WHERE mb.account_id = $1 AND mb.name = $2)"
    " , gone AS (DELETE FROM mailboxes WHERE account_id = $1 AND name = $2 RETURNING 1)"
    " SELECT held.hash FROM gone LEFT JOIN held ON true",
};
inline constexpr Statement kSetSubscribed{
    "set_subscribed",
    "UPDATE mailboxes SET subscribed = $3 WHERE account_id = $1 AND name = $2",
};

#undef GOVMAIL_MAILBOX_COLUMNS
#undef GOVMAIL_MAILBOX_FIELDS

}  // namespace govmail::storage::sql
