#pragma once

// Deleting message bodies nobody refers to (storage/body_cleanup.hpp).

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 text[] of body hashes (hex): locked in hash order (the global lock order: mailbox rows,
// then bodies by hash), so a delivery reusing one waits for this
// transaction and stores the body again when it is gone.
inline constexpr Statement kLockBodies{
    "lock_bodies",
    "SELECT 1 FROM message_bodies WHERE body_hash IN"
    " (SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h) ORDER BY body_hash FOR UPDATE",
};
// $1 text[] of body hashes (hex): those nobody refers to any more are deleted.
inline constexpr Statement kDeleteUnusedBodies{
    "delete_unused_bodies",
    "DELETE FROM message_bodies b WHERE b.body_hash IN"
    " (SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h)"
    " AND NOT EXISTS (SELECT 1 FROM mailbox_messages m WHERE m.body_hash = b.body_hash)"
    " AND NOT EXISTS (SELECT 1 FROM outbound_queue q WHERE q.body_hash = b.body_hash)"
    " RETURNING b.size",
};

}  // namespace govmail::storage::sql
