#pragma once

// Statements on the append-only audit log.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 actor, $2 action, $3 account, $4 source, $5 method, $6 detail; $7..$9 the account's
// address, name and unit, each NULL to copy it from the account as it is now.
inline constexpr Statement kAppendAudit{
    "append_audit",
    "INSERT INTO audit_log (actor, action, account_id, source_addr, method, detail,"
    " account_address, account_name, account_unit)"
    " SELECT $1, $2, $3::bigint, $4::inet, $5, $6, coalesce($7, a.address),"
    " coalesce($8, a.display_name), coalesce($9, a.org_unit)"
    " FROM (VALUES (1)) AS one LEFT JOIN accounts a ON a.account_id = $3::bigint",
};

// $1 account address, $2 since (timestamptz text), $3 action, each NULL for any; $4 limit.
// The newest LIMIT entries, newest first. An entry names its account as it was when written
// (the account may be gone); it is found by that address or by the account's address now.
inline constexpr Statement kQueryAudit{
    "query_audit",
    "SELECT l.audit_id, extract(epoch FROM l.at)::bigint, l.actor, l.action,"
    " coalesce(l.account_address, a.address), host(l.source_addr), l.method, l.detail,"
    " l.account_name, l.account_unit"
    " FROM audit_log l LEFT JOIN accounts a USING (account_id)"
    " WHERE ($1::text IS NULL OR fold_name(a.address) = fold_name($1)"
    " OR fold_name(l.account_address) = fold_name($1))"
    " AND ($2::timestamptz IS NULL OR l.at >= $2::timestamptz)"
    " AND ($3::text IS NULL OR l.action = $3)"
    " ORDER BY l.audit_id DESC LIMIT $4",
};

}  // namespace govmail::storage::sql
