#pragma once

// The administrator's view of the outbound queue (storage/queue_store_admin.cpp, `mailadm
// queue`): list, show, retry, delete, hold and release messages by queue id.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// One row per recipient (or one with NULL recipient fields for a message without any), in
// queue order, of the first $1 messages; or of message $2 alone when $2 is not NULL.
inline constexpr Statement kListQueued{
    "list_queued",
    "SELECT q.queue_id, q.account_id, a.address, q.sender,"
    "  floor(extract(epoch FROM q.created_at))::bigint, b.size, q.held,"
    "  r.recipient, r.state, r.attempts,"
    "  floor(extract(epoch FROM r.next_attempt_at))::bigint, r.last_reply"
    " FROM (SELECT * FROM outbound_queue WHERE $2::bigint IS NULL OR queue_id = $2"
    "   ORDER BY created_at, queue_id LIMIT $1) q"
    " JOIN accounts a USING (account_id)"
    " JOIN message_bodies b USING (body_hash)"
    " LEFT JOIN outbound_recipients r USING (account_id, queue_id)"
    " ORDER BY q.created_at, q.queue_id, r.recipient",
};
// Locks message $1 for a change; its account.
inline constexpr Statement kLockQueued{
    "lock_queued",
    "SELECT account_id FROM outbound_queue WHERE queue_id = $1 FOR UPDATE",
};
// Makes the waiting recipients of message $2 (account $1) due now.
inline constexpr Statement kRetryQueued{
    "retry_queued",
    "UPDATE outbound_recipients SET next_attempt_at = now()"
    " WHERE account_id = $1 AND queue_id = $2 AND state = 'pending'",
};
// Makes every waiting recipient of messages not held due now; returns their messages' ids.
inline constexpr Statement kRetryAllQueued{
    "retry_all_queued",
    "UPDATE outbound_recipients r SET next_attempt_at = now() FROM outbound_queue q"
    " WHERE r.account_id = q.account_id AND r.queue_id = q.queue_id"
    "  AND r.state = 'pending' AND NOT q.held"
    " RETURNING r.queue_id",
};
inline constexpr Statement kSetQueuedHeld{
    "set_queued_held",
    "UPDATE outbound_queue SET held = $3 WHERE account_id = $1 AND queue_id = $2",
};
// Removes message $2 (account $1) with its recipients; returns its body hash (hex).
inline constexpr Statement kDeleteQueued{
    "delete_queued",
    "DELETE FROM outbound_queue WHERE account_id = $1 AND queue_id = $2"
    " RETURNING encode(body_hash, 'hex')",
};
// Wakes the queue runners at commit (the channel storage::kOutboundChannel names).
inline constexpr Statement kWakeQueueRunners{
    "wake_queue_runners",
    "SELECT pg_notify('govmail_outbound', '')",
};

}  // namespace govmail::storage::sql
