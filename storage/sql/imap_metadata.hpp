#pragma once

// IMAP METADATA entries (RFC 5464): $2 is the mailbox, NULL for the server's entries.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kMetadataEntries{
    "metadata_entries",
    "SELECT name, encode(value, 'hex') FROM imap_metadata"
    " WHERE account_id = $1 AND mailbox_id IS NOT DISTINCT FROM $2 ORDER BY name",
};
inline constexpr Statement kPutMetadata{
    "put_metadata",
    "INSERT INTO imap_metadata (account_id, mailbox_id, name, value) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (account_id, coalesce(mailbox_id, 0), name) DO UPDATE SET value = $4",
};
inline constexpr Statement kDeleteMetadata{
    "delete_metadata",
    "DELETE FROM imap_metadata"
    " WHERE account_id = $1 AND mailbox_id IS NOT DISTINCT FROM $2 AND name = $3",
};
inline constexpr Statement kCountMetadata{
    "count_metadata",
    "SELECT count(*) FROM imap_metadata WHERE account_id = $1",
};

}  // namespace govmail::storage::sql
