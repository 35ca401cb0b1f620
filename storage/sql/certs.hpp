#pragma once

// Statements for certificate bindings: which GPKI certificate (issuer + serial, and the
// SHA-256 of its DER form) logs in as which account.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Columns every binding query returns, in CertBinding order.
#define GOVMAIL_CERT_BINDING_COLUMNS                                                   \
    " binding_id, account_id, issuer, serial, encode(sha256, 'hex'),"                  \
    " extract(epoch FROM created_at)::bigint, extract(epoch FROM revoked_at)::bigint," \
    " crl_urls, subject, extract(epoch FROM not_after)::bigint, renews, pending "

// $1 account, $2 issuer, $3 serial, $4 sha256 (bytea), $5 CRL URLs (text[]), $6 subject,
// $7 not before, $8 not after (unix seconds), $9 binding renewed or NULL, $10 pending.
inline constexpr Statement kBindCertificate{
    "bind_certificate",
    "INSERT INTO cert_bindings (account_id, issuer, serial, sha256, crl_urls, subject,"
    " not_before, not_after, renews, pending)"
    " VALUES ($1, $2, $3, $4, $5::text[], $6, to_timestamp($7), to_timestamp($8), $9, $10)"
    " RETURNING" GOVMAIL_CERT_BINDING_COLUMNS,
};
inline constexpr Statement kListCertBindings{
    "list_cert_bindings",
    "SELECT" GOVMAIL_CERT_BINDING_COLUMNS
    "FROM cert_bindings WHERE account_id = $1 ORDER BY binding_id",
};
// $1 sha256, $2 issuer, $3 serial, $4 pending: the active binding of exactly that
// certificate, approved (false) or held for approval (true).
inline constexpr Statement kFindCertBinding{
    "find_cert_binding",
    "SELECT" GOVMAIL_CERT_BINDING_COLUMNS
    "FROM cert_bindings WHERE sha256 = $1 AND issuer = $2 AND serial = $3"
    " AND revoked_at IS NULL AND pending = $4",
};
// $1 issuer, $2 subject, $3 not before (unix seconds), $4 sha256: the newest active binding
// of a certificate from the same CA for the same subject that became valid earlier, the one a
// certificate with those facts renews; none when that certificate was ever bound (a revoked
// binding is final, a pending one waits).
inline constexpr Statement kFindRenewedCertBinding{
    "find_renewed_cert_binding",
    "SELECT" GOVMAIL_CERT_BINDING_COLUMNS
    "FROM cert_bindings WHERE issuer = $1 AND subject = $2 AND revoked_at IS NULL"
    " AND NOT pending AND not_before < to_timestamp($3)"
    " AND NOT EXISTS (SELECT 1 FROM cert_bindings WHERE sha256 = $4)"
    " ORDER BY not_before DESC LIMIT 1",
};
// $1 binding id: a pending binding becomes active.
inline constexpr Statement kApproveCertBinding{
    "approve_cert_binding",
    "UPDATE cert_bindings SET pending = false"
    " WHERE binding_id = $1 AND pending AND revoked_at IS NULL"
    " RETURNING" GOVMAIL_CERT_BINDING_COLUMNS,
};
// $1 account, $2 binding id or NULL for all of the account's active bindings.
inline constexpr Statement kRevokeCertBindings{
    "revoke_cert_bindings",
    "UPDATE cert_bindings SET revoked_at = now()"
    " WHERE account_id = $1 AND revoked_at IS NULL AND ($2::bigint IS NULL OR binding_id = $2)"
    " RETURNING" GOVMAIL_CERT_BINDING_COLUMNS,
};
inline constexpr Statement kActiveCrlUrls{
    "active_crl_urls",
    "SELECT DISTINCT unnest(crl_urls) FROM cert_bindings WHERE revoked_at IS NULL ORDER BY 1",
};

#undef GOVMAIL_CERT_BINDING_COLUMNS

}  // namespace govmail::storage::sql
