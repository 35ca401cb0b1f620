#pragma once

// Mailbox exports: requests queued by mailadm (or the portal), claimed by a worker with
// FOR UPDATE SKIP LOCKED so two workers never build the same archive, reachable by a link
// whose token is stored only as its SHA-256, and removed when they expire.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

#define GOVMAIL_EXPORT_COLUMNS                                                             \
    "e.account_id, e.export_id, a.address, e.mailboxes, e.state, e.file_path, e.size,"     \
    " extract(epoch FROM e.created_at)::bigint, extract(epoch FROM e.expires_at)::bigint," \
    " e.expires_at <= now()"

// $1 account, $2 token SHA-256 (bytea), $3 text[] of mailbox names or NULL for all, $4 days
// the link lives: the queued request.
inline constexpr Statement kCreateExport{
    "create_export",
    "WITH e AS (INSERT INTO exports (account_id, token_sha256, mailboxes, expires_at)"
    " VALUES ($1, $2, $3::text[], now() + make_interval(days => $4::integer)) RETURNING *)"
    " SELECT " GOVMAIL_EXPORT_COLUMNS " FROM e JOIN accounts a USING (account_id)",
};
// $1 account or NULL for all: the exports, oldest first.
inline constexpr Statement kListExports{
    "list_exports",
    "SELECT " GOVMAIL_EXPORT_COLUMNS
    " FROM exports e JOIN accounts a USING (account_id)"
    " WHERE $1::bigint IS NULL OR e.account_id = $1 ORDER BY e.export_id",
};
// $1 export id: removed for good; returns it (its file is mailadm's to remove).
inline constexpr Statement kDeleteExport{
    "delete_export",
    "WITH e AS (DELETE FROM exports WHERE export_id = $1 RETURNING *)"
    " SELECT " GOVMAIL_EXPORT_COLUMNS " FROM e JOIN accounts a USING (account_id)",
};
// $1 token SHA-256 (bytea): the export the link names (the requester's or the mailed one).
inline constexpr Statement kFindExportByToken{
    "find_export_by_token",
    "SELECT " GOVMAIL_EXPORT_COLUMNS
    " FROM exports e JOIN accounts a USING (account_id)"
    " WHERE e.token_sha256 = $1 OR e.mailed_token_sha256 = $1",
};
// The expired exports, removed; returns them for their files.
inline constexpr Statement kDeleteExpiredExports{
    "delete_expired_exports",
    "WITH e AS (DELETE FROM exports WHERE expires_at <= now() RETURNING *)"
    " SELECT " GOVMAIL_EXPORT_COLUMNS " FROM e JOIN accounts a USING (account_id)",
};
// Inside a transaction: the oldest pending export no other worker holds, locked until the
// transaction ends (a worker that dies leaves it pending for the next one).
inline constexpr Statement kClaimExport{
    "claim_export",
    "SELECT " GOVMAIL_EXPORT_COLUMNS
    " FROM exports e JOIN accounts a USING (account_id)"
    " WHERE e.state = 'pending' AND e.expires_at > now() ORDER BY e.export_id"
    " LIMIT 1 FOR UPDATE OF e SKIP LOCKED",
};
// $1 export id, $2 state ('ready' or 'failed'), $3 file or NULL, $4 size or NULL, $5 the
// SHA-256 (bytea) of the mailed link's token or NULL.
inline constexpr Statement kFinishExport{
    "finish_export",
    "UPDATE exports SET state = $2, file_path = $3, size = $4, mailed_token_sha256 = $5"
    " WHERE export_id = $1",
};
// $1 account, $2 text[] of names or NULL for all: the mailboxes to export, by name.
inline constexpr Statement kExportMailboxes{
    "export_mailboxes",
    "SELECT mailbox_id, name FROM mailboxes"
    " WHERE account_id = $1 AND ($2::text[] IS NULL OR name = ANY ($2::text[])) ORDER BY name",
};
// $1 account, $2 mailbox: its messages' uid, body id (hex) and size, by uid.
inline constexpr Statement kExportMessages{
    "export_messages",
    "SELECT m.uid, encode(m.body_hash, 'hex'), b.size"
    " FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
    " WHERE m.account_id = $1 AND m.mailbox_id = $2 ORDER BY m.uid",
};

#undef GOVMAIL_EXPORT_COLUMNS

}  // namespace govmail::storage::sql
