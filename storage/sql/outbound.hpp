#pragma once

// The outbound queue runner's statements (storage/queue_store.cpp). Recipients are claimed
// with FOR UPDATE SKIP LOCKED, so several smtpd processes share the queue without ever
// claiming the same recipient; a claim is a lease in next_attempt_at.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Claims every due recipient of the queue entry that has waited longest and is not held.
// $1: lease seconds. "sending" rows whose lease ran out (their runner died) are due again.
inline constexpr Statement kClaimDueRecipients{
    "claim_due_recipients",
    "WITH first AS ("
    "  SELECT account_id, queue_id FROM outbound_recipients"
    "  WHERE state IN ('pending', 'sending') AND next_attempt_at <= now()"
    "   AND NOT EXISTS (SELECT 1 FROM outbound_queue q WHERE q.held"
    "    AND q.account_id = outbound_recipients.account_id"
    "    AND q.queue_id = outbound_recipients.queue_id)"
    "  ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED),"
    " due AS ("
    "  SELECT r.account_id, r.queue_id, r.recipient"
    "  FROM outbound_recipients r JOIN first f USING (account_id, queue_id)"
    "  WHERE r.state IN ('pending', 'sending') AND r.next_attempt_at <= now()"
    "  FOR UPDATE OF r SKIP LOCKED),"
    " claimed AS ("
    "  UPDATE outbound_recipients r SET state = 'sending', attempts = r.attempts + 1,"
    "   next_attempt_at = now() + make_interval(secs => $1)"
    "  FROM due d WHERE r.account_id = d.account_id AND r.queue_id = d.queue_id"
    "   AND r.recipient = d.recipient"
    "  RETURNING r.account_id, r.queue_id, r.recipient, r.orcpt, r.notify, r.attempts)"
    " SELECT c.account_id, c.queue_id, c.recipient, coalesce(c.orcpt, ''), c.notify, c.attempts,"
    "  q.sender, encode(q.body_hash, 'hex'), coalesce(q.envid, ''), q.ret_full,"
    "  floor(extract(epoch FROM q.created_at))::bigint"
    " FROM claimed c JOIN outbound_queue q USING (account_id, queue_id)"
    " ORDER BY c.recipient",
};

// Records attempt results. $3..$7: parallel arrays of recipient, the attempt number of the
// claim, new state, seconds until the next attempt (pending only) and the remote reply. A
// row whose claim was taken over (lease ran out, attempts changed) is left alone.
inline constexpr Statement kRecordAttempts{
    "record_attempts",
    "UPDATE outbound_recipients r SET state = u.state, last_reply = u.reply,"
    "  next_attempt_at = CASE WHEN u.state = 'pending'"
    "   THEN now() + make_interval(secs => u.retry_after) ELSE r.next_attempt_at END"
    " FROM unnest($3::text[], $4::text[]::int[], $5::text[], $6::text[]::int[], $7::text[])"
    "  u(recipient, attempts, state, retry_after, reply)"
    " WHERE r.account_id = $1 AND r.queue_id = $2 AND r.recipient = u.recipient"
    "  AND r.attempts = u.attempts AND r.state = 'sending'",
};

// Drops a queue entry once no recipient is left to try; returns its body hash (hex).
inline constexpr Statement kDeleteFinishedEntry{
    "delete_finished_entry",
    "DELETE FROM outbound_queue q WHERE q.account_id = $1 AND q.queue_id = $2"
    " AND NOT EXISTS (SELECT 1 FROM outbound_recipients r"
    "  WHERE r.account_id = q.account_id AND r.queue_id = q.queue_id"
    "  AND r.state IN ('pending', 'sending'))"
    " RETURNING encode(q.body_hash, 'hex')",
};

}  // namespace govmail::storage::sql
