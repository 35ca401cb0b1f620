#pragma once

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// UID sets travel as two parallel arrays of range bounds: $lo[i] <= uid <= $hi[i]. The outer
// bounds come first, so the planner reads only that stretch of the primary key: a STORE of one
// UID otherwise tested every message of the mailbox against the ranges.
#define GOVMAIL_IN_UID_RANGES(lo, hi)                         \
    "(uid BETWEEN (SELECT min(l) FROM unnest(" lo             \
    "::bigint[]) l)"                                          \
    " AND (SELECT max(h) FROM unnest(" hi                     \
    "::bigint[]) h)"                                          \
    " AND EXISTS (SELECT 1 FROM unnest(" lo "::bigint[], " hi \
    "::bigint[]) r(lo, hi)"                                   \
    " WHERE uid BETWEEN r.lo AND r.hi))"

inline constexpr Statement kInsertBody{
    "insert_body",
    "INSERT INTO message_bodies (body_hash, size, raw, envelope, body_structure, body, parts,"
    " header_text, search_text, sent_date)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10))"
    // An existing body is locked (not changed): a concurrent removal of its last reference
    // (storage/body_cleanup.hpp) then waits for this delivery, or this insert for it.
    " ON CONFLICT (body_hash) DO UPDATE SET size = EXCLUDED.size WHERE false",
};
// Appends one message to each (account, mailbox name) target, each taking the next UID, and
// returns a row per target; or appends nothing and returns no row when a target mailbox does
// not exist or, with $7 true, when a target has an away reply switched on (the caller then
// runs the delivery that composes it). The target mailboxes are locked first, in one order,
// so concurrent deliveries cannot deadlock; the locks are held until the transaction ends.
// $1 bigint[] accounts, $2 text[] mailbox names: the delivery's target mailboxes, locked in
// (account, mailbox) order before its body. Every writer takes mailbox rows before message
// bodies (EXPUNGE and COPY too, and body cleanup locks bodies in hash order), so a delivery
// reusing a body that an EXPUNGE is freeing cannot deadlock with it.
inline constexpr Statement kLockTargetMailboxes{
    "lock_target_mailboxes",
    "SELECT 1 FROM mailboxes mb JOIN unnest($1::bigint[], $2::text[]) t(account_id, name)"
    " ON mb.account_id = t.account_id AND mb.name = t.name"
    " ORDER BY mb.account_id, mb.mailbox_id FOR UPDATE OF mb",
};
inline constexpr Statement kAppendToTargets{
    "append_to_targets",
    "WITH target AS ("
    "  SELECT mb.account_id, mb.mailbox_id FROM mailboxes mb"
    "  JOIN unnest($1::bigint[], $2::text[]) t(account_id, name)"
    "  ON mb.account_id = t.account_id AND mb.name = t.name"
    "  WHERE NOT ($7::boolean AND EXISTS (SELECT 1 FROM autoreply_settings s"
    "             WHERE s.account_id = ANY ($1::bigint[]) AND s.enabled))"
    "  ORDER BY mb.account_id, mb.mailbox_id FOR UPDATE OF mb),"
    " next AS ("
    "  UPDATE mailboxes mb SET uidnext = uidnext + 1, highestmodseq = highestmodseq + 1"
    "  FROM target"
    "  WHERE mb.account_id = target.account_id AND mb.mailbox_id = target.mailbox_id"
    "  AND (SELECT count(*) FROM target) = cardinality($1::bigint[])"
    "  RETURNING mb.account_id, mb.mailbox_id, mb.uidnext - 1 AS uid, mb.highestmodseq,"
    "            mb.uidvalidity)"
    " INSERT INTO mailbox_messages"
    " (account_id, mailbox_id, uid, body_hash, size, flags, internal_date, modseq, subject_lower)"
    " SELECT next.account_id, next.mailbox_id, next.uid, $3, $4, $5, to_timestamp($6),"
    "        next.highestmodseq,"
    "        (SELECT header_field_values(header_lower, 'subject') FROM message_bodies"
    "         WHERE body_hash = $3)"
    " FROM next"
    " RETURNING account_id, mailbox_id, uid, modseq,"
    " (SELECT uidvalidity FROM mailboxes mb WHERE mb.account_id = mailbox_messages.account_id"
    "  AND mb.mailbox_id = mailbox_messages.mailbox_id)",
};
// How many of the messages ($1 accounts, $2 mailboxes, $3 UIDs) hold body $4: whether a
// delivery whose COMMIT went unanswered is there (storage/pg/commit.hpp, EffectCheck).
inline constexpr Statement kCountDelivered{
    "count_delivered",
    "SELECT count(*) FROM mailbox_messages m"
    " JOIN unnest($1::bigint[], $2::bigint[], $3::bigint[]) t(account_id, mailbox_id, uid)"
    " ON m.account_id = t.account_id AND m.mailbox_id = t.mailbox_id AND m.uid = t.uid"
    " WHERE m.body_hash = $4",
};
inline constexpr Statement kMailboxView{
    "mailbox_view",
    "SELECT uid, modseq, flags FROM mailbox_messages"
    " WHERE account_id = $1 AND mailbox_id = $2 ORDER BY uid",
};
inline constexpr Statement kFetchSummaries{
    "fetch_summaries",
    "SELECT m.uid, m.modseq, m.flags, extract(epoch FROM m.internal_date)::bigint, m.size,"
    " encode(m.body_hash, 'hex'), b.envelope, b.body_structure, b.body, b.parts"
    " FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 AND " GOVMAIL_IN_UID_RANGES(
        "$3", "$4"
    ) " ORDER BY m.uid",
};
inline constexpr Statement kFetchRaw{
    "fetch_raw",
    "SELECT raw FROM message_bodies WHERE body_hash = decode($1, 'hex')",
    ResultFormat::Binary,
};
// $5: 'replace', 'add' or 'remove'; $6: UNCHANGEDSINCE or NULL. Only messages whose flags
// change get the new modseq, and the mailbox takes one only when some do (RFC 7162 3.1): a
// STORE that changes nothing writes nothing, and its transaction commits without a WAL flush.
inline constexpr Statement kStoreFlags{
    "store_flags",
    "WITH target AS ("
    "  SELECT uid, new_flags FROM ("
    "   SELECT uid, flags, ARRAY(SELECT DISTINCT f FROM unnest(CASE $5"
    "     WHEN 'replace' THEN $7::text[]"
    "     WHEN 'add' THEN flags || $7::text[]"
    "     ELSE ARRAY(SELECT unnest(flags) EXCEPT SELECT unnest($7::text[])) END) f"
    "     ORDER BY f) AS new_flags"
    "   FROM mailbox_messages"
    "   WHERE account_id = $1 AND mailbox_id = $2 AND " GOVMAIL_IN_UID_RANGES(
        "$3", "$4"
    ) "   AND ($6::bigint IS NULL OR modseq <= $6)) candidate"
      "  WHERE flags IS DISTINCT FROM new_flags),"
      " bump AS ("
      "  UPDATE mailboxes SET highestmodseq = highestmodseq + 1"
      "  WHERE account_id = $1 AND mailbox_id = $2 AND EXISTS (SELECT 1 FROM target)"
      "  RETURNING highestmodseq)"
      " UPDATE mailbox_messages m SET flags = target.new_flags, modseq = bump.highestmodseq"
      " FROM target, bump"
      " WHERE m.account_id = $1 AND m.mailbox_id = $2 AND m.uid = target.uid"
      " RETURNING m.uid, m.modseq, m.flags",
};
// Removes \Deleted messages (within the UID ranges when given) and remembers their UIDs;
// returns them in ascending order, each with its body hash (hex).
inline constexpr Statement kExpunge{
    "expunge",
    "WITH bump AS ("
    "  UPDATE mailboxes SET highestmodseq = highestmodseq + 1"
    "  WHERE account_id = $1 AND mailbox_id = $2 RETURNING highestmodseq),"
    " gone AS ("
    "  DELETE FROM mailbox_messages WHERE account_id = $1 AND mailbox_id = $2"
    "  AND '\\Deleted' = ANY (flags)"
    "  AND ($3::bigint[] IS NULL OR " GOVMAIL_IN_UID_RANGES(
        "$3", "$4"
    ) ")"
      "  RETURNING uid, body_hash)"
      " , remembered AS (INSERT INTO mailbox_expunged (account_id, mailbox_id, uid, modseq)"
      "  SELECT $1, $2, gone.uid, bump.highestmodseq FROM gone, bump)"
      " SELECT uid, encode(body_hash, 'hex') FROM gone ORDER BY uid",
};
// Copies the messages in the UID ranges of mailbox $2 to mailbox $5, in UID order, and
// returns (source uid, new uid, destination uidvalidity).
inline constexpr Statement kCopy{
    "copy_messages",
    "WITH src AS ("
    "  SELECT uid, body_hash, size, flags, internal_date, subject_lower,"
    "         row_number() OVER (ORDER BY uid) AS rn"
    "  FROM mailbox_messages"
    "  WHERE account_id = $1 AND mailbox_id = $2 AND " GOVMAIL_IN_UID_RANGES(
        "$3", "$4"
    ) "),"
      " dst AS ("
      "  UPDATE mailboxes SET uidnext = uidnext + (SELECT count(*) FROM src),"
      "                       highestmodseq = highestmodseq + 1"
      "  WHERE account_id = $1 AND mailbox_id = $5"
      "  RETURNING uidnext - (SELECT count(*) FROM src) AS first_uid, highestmodseq, uidvalidity),"
      " ins AS ("
      "  INSERT INTO mailbox_messages"
      "  (account_id, mailbox_id, uid, body_hash, size, flags, internal_date, modseq,"
      "   subject_lower)"
      "  SELECT $1, $5, dst.first_uid + src.rn - 1, src.body_hash, src.size, src.flags,"
      "         src.internal_date, dst.highestmodseq, src.subject_lower FROM src, dst)"
      " SELECT src.uid, dst.first_uid + src.rn - 1, dst.uidvalidity FROM src, dst ORDER BY src.uid",
};
// Removes the messages in the UID ranges (the second half of MOVE), remembering their UIDs.
inline constexpr Statement kRemoveUids{
    "remove_uids",
    "WITH bump AS ("
    "  UPDATE mailboxes SET highestmodseq = highestmodseq + 1"
    "  WHERE account_id = $1 AND mailbox_id = $2 RETURNING highestmodseq),"
    " gone AS ("
    "  DELETE FROM mailbox_messages WHERE account_id = $1 AND mailbox_id = $2"
    "  AND " GOVMAIL_IN_UID_RANGES(
        "$3", "$4"
    ) " RETURNING uid)"
      " , remembered AS (INSERT INTO mailbox_expunged (account_id, mailbox_id, uid, modseq)"
      "  SELECT $1, $2, gone.uid, bump.highestmodseq FROM gone, bump RETURNING uid)"
      " SELECT uid FROM remembered ORDER BY uid",
};
// Bounds mailbox $2's expunged-UID history (RFC 7162 QRESYNC): forgets the UIDs expunged more
// than $3 days ago and all but the newest $4 (whole modseqs: a cut inside one modseq forgets
// it all), and raises the mailbox's expunged_forgotten_modseq to the highest modseq forgotten.
// Reads at most $4 entries of the history's modseq index and the history's rows.
inline constexpr Statement kForgetExpunged{
    "forget_expunged",
    "WITH cut AS ("
    "  SELECT greatest("
    "   (SELECT modseq FROM mailbox_expunged WHERE account_id = $1 AND mailbox_id = $2"
    "    ORDER BY modseq DESC OFFSET $4 LIMIT 1),"
    "   (SELECT max(modseq) FROM mailbox_expunged WHERE account_id = $1 AND mailbox_id = $2"
    "    AND expunged_at < now() - make_interval(days => $3::int))) AS modseq),"
    " gone AS ("
    "  DELETE FROM mailbox_expunged e USING cut"
    "  WHERE e.account_id = $1 AND e.mailbox_id = $2 AND e.modseq <= cut.modseq"
    "  RETURNING e.modseq)"
    " UPDATE mailboxes SET expunged_forgotten_modseq ="
    "  greatest(expunged_forgotten_modseq, (SELECT max(modseq) FROM gone))"
    " WHERE account_id = $1 AND mailbox_id = $2 AND EXISTS (SELECT 1 FROM gone)",
};
inline constexpr Statement kQuotaUsage{
    "quota_usage",
    "SELECT coalesce(sum(m.size), 0)::bigint, count(*), a.quota_bytes"
    " FROM accounts a LEFT JOIN mailbox_messages m ON m.account_id = a.account_id"
    " WHERE a.account_id = $1 GROUP BY a.quota_bytes",
};

#undef GOVMAIL_IN_UID_RANGES

}  // namespace govmail::storage::sql
