#pragma once

// Statements only imapd needs: catching a selected mailbox up in one round trip, a message's
// bytes for FETCH, and the per-message values SEARCH evaluates that the mailbox view does not
// hold.

#include "storage/statement.hpp"

namespace govmail::storage::sql {

// Messages changed and UIDs expunged after modseq $3: ('c', uid, modseq, flags) and
// ('x', uid, modseq, NULL) rows.
inline constexpr Statement kMailboxChanges{
    "imap_mailbox_changes",
    "SELECT 'c', uid, modseq, flags FROM mailbox_messages"
    " WHERE account_id = $1 AND mailbox_id = $2 AND modseq > $3"
    " UNION ALL"
    " SELECT 'x', uid, modseq, NULL FROM mailbox_expunged"
    " WHERE account_id = $1 AND mailbox_id = $2 AND modseq > $3",
};
// The part list and bytes of message $3 (binary results: the text column comes as its bytes).
inline constexpr Statement kMessageBody{
    "imap_message_body",
    "SELECT b.parts, b.raw FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 AND m.uid = $3",
    ResultFormat::Binary,
};
inline constexpr Statement kSearchAttributes{
    "imap_search_attributes",
    "SELECT m.uid, m.size, extract(epoch FROM m.internal_date)::bigint,"
    " extract(epoch FROM b.sent_date)::bigint"
    " FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 ORDER BY m.uid",
};
// Case-insensitive substring search in the cached text. $3: 'header' (a field named $4 in
// header_text, one "Name: value" line per field), 'body' (search_text) or 'text' (both). A
// header search uses the lowercased copy (header_lower) and splits only the headers that
// contain the value somewhere into lines.
inline constexpr Statement kSearchText{
    "imap_search_text",
    "SELECT m.uid FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 AND CASE $3"
    "  WHEN 'body' THEN strpos(lower(b.search_text), lower($5)) > 0"
    "  WHEN 'text' THEN strpos(b.header_lower, lower($5)) > 0"
    "                OR strpos(lower(b.search_text), lower($5)) > 0"
    "  ELSE strpos(b.header_lower, lower($5)) > 0"
    "   AND EXISTS (SELECT 1 FROM unnest(string_to_array(b.header_lower, E'\\n')) line"
    "    WHERE left(line, length($4) + 1) = lower($4) || ':'"
    "    AND strpos(substr(line, length($4) + 2), lower($5)) > 0) END"
    " ORDER BY m.uid",
};

// The same for a SUBJECT search, from the subject each message row carries (migration 13):
// only this mailbox's rows are read. A Subject value is one line: text with a line break in it
// matches none.
inline constexpr Statement kSearchSubject{
    "imap_search_subject",
    "SELECT uid FROM mailbox_messages"
    " WHERE account_id = $1 AND mailbox_id = $2"
    " AND strpos($3, E'\\n') = 0 AND strpos(subject_lower, lower($3)) > 0"
    " ORDER BY uid",
};

}  // namespace govmail::storage::sql
