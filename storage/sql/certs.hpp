#pragma once

// Statements for certificate bindings: which GPKI certificate (issuer + serial, and the
// SHA-256 of its DER form) logs in as which account.

#include "storage/statement.hpp"

namespace govmail::storage::sql {

// Columns every binding query returns, in CertBinding order.
#define GOVMAIL_CERT_BINDING_COLUMNS                                                   \
    " binding_id, account_id, issuer, serial, encode(sha256, 'hex'),"                  \
    " extract(epoch FROM created_at)::bigint, extract(epoch FROM revoked_at)::bigint," \
    " crl_urls "

// $1 account, $2 issuer, $3 serial, $4 sha256 (bytea), $5 CRL URLs (text[]).
inline constexpr Statement kBindCertificate{
    "bind_certificate",
    "INSERT INTO cert_bindings (account_id, issuer, serial, sha256, crl_urls)"
    " VALUES ($1, $2, $3, $4, $5::text[]) RETURNING" GOVMAIL_CERT_BINDING_COLUMNS,
};
inline constexpr Statement kListCertBindings{
    "list_cert_bindings",
    "SELECT" GOVMAIL_CERT_BINDING_COLUMNS
    "FROM cert_bindings WHERE account_id = $1 ORDER BY binding_id",
};
// $1 sha256, $2 issuer, $3 serial: the active binding of exactly that certificate.
inline constexpr Statement kFindCertBinding{
    "find_cert_binding",
    "SELECT" GOVMAIL_CERT_BINDING_COLUMNS
    "FROM cert_bindings WHERE sha256 = $1 AND issuer = $2 AND serial = $3"
    " AND revoked_at IS NULL",
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
