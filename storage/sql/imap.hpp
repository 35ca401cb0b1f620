#pragma once

// Statements only IMAP needs: catching a selected mailbox up in one round trip, the bytes of a
// batch of messages for FETCH, and the per-message values SEARCH evaluates that the mailbox
// view does not hold.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Messages changed and UIDs expunged after modseq $3: ('c', uid, modseq, flags) and
// ('x', uid, modseq, NULL) rows, and ('f', 0, modseq, NULL) when the expunged-UID history has
// forgotten UIDs expunged after $3 (kForgetExpunged).
inline constexpr Statement kMailboxChanges{
    "imap_mailbox_changes",
    "SELECT 'c', uid, modseq, flags FROM mailbox_messages"
    " WHERE account_id = $1 AND mailbox_id = $2 AND modseq > $3"
    " UNION ALL"
    " SELECT 'x', uid, modseq, NULL FROM mailbox_expunged"
    " WHERE account_id = $1 AND mailbox_id = $2 AND modseq > $3"
    " UNION ALL"
    " SELECT 'f', 0, expunged_forgotten_modseq, NULL FROM mailboxes"
    " WHERE account_id = $1 AND mailbox_id = $2 AND expunged_forgotten_modseq > $3",
};
// The uid, part list and bytes of the messages $3 (bigint[]), in UID order, stopping after the
// message that brings the bytes read (their sizes summed in UID order) to $4: each row is read
// only while the bytes before it stay below $4, so a batch holds at least one message and at
// most $4 bytes plus one message. Binary results: the text columns come as their bytes (the
// uid cast to text, as PgResult::int64 reads it).
inline constexpr Statement kMessageBodies{
    "imap_message_bodies",
    "SELECT m.uid::text, b.parts, b.raw FROM ("
    "  SELECT uid, body_hash, sum(size) OVER (ORDER BY uid) - size AS bytes_before"
    "  FROM mailbox_messages"
    "  WHERE account_id = $1 AND mailbox_id = $2 AND uid = ANY($3::bigint[])) m"
    " JOIN message_bodies b USING (body_hash)"
    " WHERE m.bytes_before < $4 ORDER BY m.uid",
    ResultFormat::Binary,
};
// Each message's uid, size, internal date and, when $3, the value of its (first) Date field as
// written: SENTON and the like compare the date written there, not the instant (RFC 3501).
inline constexpr Statement kSearchAttributes{
    "imap_search_attributes",
    "SELECT m.uid, m.size, extract(epoch FROM m.internal_date)::bigint,"
    " CASE WHEN $3 THEN split_part(header_field_values(b.header_lower, 'date'), E'\\n', 1) END"
    " FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 ORDER BY m.uid",
};
// SORT and THREAD: every message of the mailbox, in UID order, with the fields stored at
// delivery (migration 25).
inline constexpr Statement kSortFields{
    "imap_sort_fields",
    "SELECT m.uid, m.size, extract(epoch FROM m.internal_date)::bigint,"
    " extract(epoch FROM b.sent_date)::bigint, b.sort_subject, b.sort_from, b.sort_to,"
    " b.sort_cc, b.message_id, b.in_reply_to, b.reference_ids"
    " FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 ORDER BY m.uid",
};
// Case-insensitive substring search in the cached text, every text key of a SEARCH in one pass
// over the mailbox's rows: ($3[i], $4[i], $5[i]) is key i+1 (field, header name, text), and
// each message that matches any key is one row: its uid and the numbers of the keys it matches
// (int[]), so the answer grows with the messages, not with messages x keys. Fields: 'subject' (the
// subject the message row carries, migration 13; a Subject value is one line, so text with a line
// break matches none), 'header' (a field named $4[i] in header_text, one "Name: value" line per
// field; only the headers that contain the text somewhere are split into lines), 'address' (as
// 'header', with the comments of the field taken out and no space around "@", so that
// "<user (c)@ (c) domain.org>" holds "user@domain.org"; only headers holding the text's parts
// before and after "@" are split), 'body'
// (search_text) or 'text' (both). The body is lowercased once per message, not once per key.
inline constexpr Statement kSearchTexts{
    "imap_search_texts",
    "SELECT m.uid, k.matched FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
    " CROSS JOIN LATERAL (SELECT CASE WHEN $3::text[] && ARRAY['body', 'text']"
    "  THEN lower(b.search_text) END AS body_lower OFFSET 0) t"
    " CROSS JOIN LATERAL (SELECT array_agg(q.ord) AS matched"
    "  FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY q(field, name, needle, ord)"
    "  WHERE CASE q.field"
    "   WHEN 'subject' THEN strpos(q.needle, E'\\n') = 0"
    "    AND strpos(m.subject_lower, lower(q.needle)) > 0"
    "   WHEN 'body' THEN strpos(t.body_lower, lower(q.needle)) > 0"
    "   WHEN 'text' THEN strpos(b.header_lower, lower(q.needle)) > 0"
    "    OR strpos(t.body_lower, lower(q.needle)) > 0"
    "   WHEN 'address' THEN strpos(b.header_lower, lower(split_part(q.needle, '@', 1))) > 0"
    "    AND strpos(b.header_lower, lower(split_part(q.needle, '@', 2))) > 0"
    "    AND EXISTS (SELECT 1 FROM unnest(string_to_array(b.header_lower, E'\\n')) line"
    "     WHERE left(line, length(q.name) + 1) = lower(q.name) || ':'"
    "     AND strpos(regexp_replace(regexp_replace(substr(line, length(q.name) + 2),"
    "      '\\([^()]*\\)', '', 'g'), '\\s*@\\s*', '@', 'g'), lower(q.needle)) > 0)"
    "   ELSE strpos(b.header_lower, lower(q.needle)) > 0"
    "    AND EXISTS (SELECT 1 FROM unnest(string_to_array(b.header_lower, E'\\n')) line"
    "     WHERE left(line, length(q.name) + 1) = lower(q.name) || ':'"
    "     AND strpos(substr(line, length(q.name) + 2), lower(q.needle)) > 0) END) k"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 AND k.matched IS NOT NULL"
    " ORDER BY m.uid",
};

// \Recent (RFC 3501 2.3.2): moves mailbox $2's high-water mark up to UID $3 and returns the
// mark before, so the caller alone sees the UIDs between as recent. The row lock orders
// sessions selecting at once: the second reads the first one's mark. No row: no mailbox.
inline constexpr Statement kClaimRecent{
    "imap_claim_recent",
    "UPDATE mailboxes m SET recent_above_uid = greatest(b.before, $3)"
    " FROM (SELECT recent_above_uid AS before FROM mailboxes"
    "  WHERE account_id = $1 AND mailbox_id = $2 FOR UPDATE) b"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 RETURNING b.before",
};
// The mark alone, for EXAMINE, which leaves it where it is.
inline constexpr Statement kRecentAboveUid{
    "imap_recent_above_uid",
    "SELECT recent_above_uid FROM mailboxes WHERE account_id = $1 AND mailbox_id = $2",
};

// Bounds the statements after it in the open transaction to $1 milliseconds (SQLSTATE 57014
// when one runs longer).
inline constexpr Statement kLimitStatementTime{
    "limit_statement_time",
    "SELECT set_config('statement_timeout', $1, true)",
};

}  // namespace govmail::storage::sql
