#pragma once

// Spam learning (storage/learn_queue_store.hpp): the jobs a copy into or out of \Junk queues,
// claimed by smtpd's learner.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Queues, for the messages in the UID ranges ($3 lows, $4 highs) of mailbox $2 of account $1
// that are being copied to mailbox $5: spam when $5 is the \Junk mailbox and $2 is not, ham
// when $2 is and $5 is neither \Junk nor \Trash (deleting spam teaches nothing).
inline constexpr Statement kQueueLearning{
    "queue_learning",
    "INSERT INTO learn_queue (account_id, body_hash, spam)"
    " SELECT $1, m.body_hash, dst.special_use IS NOT DISTINCT FROM '\\Junk'"
    " FROM mailbox_messages m, mailboxes src, mailboxes dst"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2"
    " AND EXISTS (SELECT 1 FROM unnest($3::bigint[], $4::bigint[]) r(lo, hi)"
    "  WHERE m.uid BETWEEN r.lo AND r.hi)"
    " AND src.account_id = $1 AND src.mailbox_id = $2"
    " AND dst.account_id = $1 AND dst.mailbox_id = $5"
    " AND (src.special_use IS NOT DISTINCT FROM '\\Junk')"
    "     <> (dst.special_use IS NOT DISTINCT FROM '\\Junk')"
    " AND dst.special_use IS DISTINCT FROM '\\Trash'",
};

// The job due first, leased for $1 seconds (a learner that dies leaves it due again then):
// learn_id, spam, attempts (this one included), the body id (hex), its age in seconds.
inline constexpr Statement kClaimLearning{
    "claim_learning",
    "UPDATE learn_queue SET attempts = attempts + 1,"
    "  next_attempt_at = now() + make_interval(secs => $1)"
    " WHERE learn_id = (SELECT learn_id FROM learn_queue WHERE next_attempt_at <= now()"
    "  ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
    " RETURNING learn_id, spam, attempts, encode(body_hash, 'hex'),"
    "  floor(extract(epoch FROM now() - created_at))::bigint",
};

inline constexpr Statement kDeleteLearning{
    "delete_learning",
    "DELETE FROM learn_queue WHERE learn_id = $1",
};

// $2: seconds until the next attempt.
inline constexpr Statement kRetryLearning{
    "retry_learning",
    "UPDATE learn_queue SET next_attempt_at = now() + make_interval(secs => $2)"
    " WHERE learn_id = $1",
};

}  // namespace govmail::storage::sql
