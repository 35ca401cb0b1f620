#pragma once

// Statements on the append-only audit log.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kAppendAudit{
    "append_audit",
    "INSERT INTO audit_log (actor, action, account_id, source_addr, method, detail)"
    " VALUES ($1, $2, $3, $4::inet, $5, $6)",
};

// $1 account address, $2 since (timestamptz text), $3 action, each NULL for any; $4 limit.
// The newest LIMIT entries, newest first.
inline constexpr Statement kQueryAudit{
    "query_audit",
    "SELECT l.audit_id, extract(epoch FROM l.at)::bigint, l.actor, l.action, a.address,"
    " host(l.source_addr), l.method, l.detail"
    " FROM audit_log l LEFT JOIN accounts a USING (account_id)"
    " WHERE ($1::text IS NULL OR fold_name(a.address) = fold_name($1))"
    " AND ($2::timestamptz IS NULL OR l.at >= $2::timestamptz)"
    " AND ($3::text IS NULL OR l.action = $3)"
    " ORDER BY l.audit_id DESC LIMIT $4",
};

}  // namespace govmail::storage::sql
