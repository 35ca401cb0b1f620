#pragma once

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kInsertOutbound{
    "insert_outbound",
    "INSERT INTO outbound_queue (account_id, sender, body_hash, envid, ret_full)"
    " VALUES ($1, $2, $3, $4, $5) RETURNING queue_id",
};
// $3, $4, $5: parallel arrays of recipient, ORCPT (or NULL) and NOTIFY.
inline constexpr Statement kInsertOutboundRecipients{
    "insert_outbound_recipients",
    "INSERT INTO outbound_recipients (account_id, queue_id, recipient, orcpt, notify)"
    " SELECT $1, $2, t.recipient, nullif(t.orcpt, ''), t.notify"
    " FROM unnest($3::text[], $4::text[], $5::text[]) t(recipient, orcpt, notify)",
};

}  // namespace govmail::storage::sql
