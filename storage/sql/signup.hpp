#pragma once

// Statements on signup requests: filing, listing, deciding, and binding the certificate a
// request carries to the account its approval created.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// Columns in SignupRequest order.
#define GOVMAIL_SIGNUP_COLUMNS                                                             \
    " request_id, employee_no, mail_id, cert_issuer, cert_serial,"                         \
    " encode(cert_sha256, 'hex'), cert_pem, host(source_addr), state, reason, decided_by," \
    " extract(epoch FROM created_at)::bigint, extract(epoch FROM decided_at)::bigint "

// $1 employee number, $2 mail ID, $3 issuer, $4 serial, $5 sha256 (bytea), $6 PEM,
// $7 source address; each but the mail ID may be NULL.
inline constexpr Statement kFileSignup{
    "file_signup",
    "INSERT INTO signup_requests (employee_no, mail_id, cert_issuer, cert_serial, cert_sha256,"
    " cert_pem, source_addr) VALUES ($1, $2, $3, $4, $5, $6, $7::inet)"
    " RETURNING" GOVMAIL_SIGNUP_COLUMNS,
};
// $1 true for pending requests only.
inline constexpr Statement kListSignups{
    "list_signups",
    "SELECT" GOVMAIL_SIGNUP_COLUMNS
    "FROM signup_requests"
    " WHERE NOT $1::boolean OR state = 'pending' ORDER BY request_id",
};
inline constexpr Statement kFindSignup{
    "find_signup",
    "SELECT" GOVMAIL_SIGNUP_COLUMNS "FROM signup_requests WHERE request_id = $1",
};
// $1 request, $2 'approved' or 'rejected', $3 reason, $4 who decided: only a pending one.
inline constexpr Statement kDecideSignup{
    "decide_signup",
    "UPDATE signup_requests SET state = $2, reason = $3, decided_by = $4, decided_at = now()"
    " WHERE request_id = $1 AND state = 'pending' RETURNING" GOVMAIL_SIGNUP_COLUMNS,
};
// $1 account, $2 request, $3 CRL URLs (text[]), $4 subject, $5 not before, $6 not after
// (unix seconds): binds the request's certificate, when it carries a whole one (issuer,
// serial and fingerprint).
inline constexpr Statement kBindSignupCertificate{
    "bind_signup_certificate",
    "INSERT INTO cert_bindings (account_id, issuer, serial, sha256, crl_urls, subject,"
    " not_before, not_after)"
    " SELECT $1, cert_issuer, cert_serial, cert_sha256, $3::text[], $4, to_timestamp($5),"
    " to_timestamp($6) FROM signup_requests"
    " WHERE request_id = $2 AND cert_issuer IS NOT NULL AND cert_serial IS NOT NULL"
    " AND cert_sha256 IS NOT NULL RETURNING binding_id",
};

#undef GOVMAIL_SIGNUP_COLUMNS

// $1 employee number, $2 time zone, $3 days: the first moment a signup of that person may be
// approved, midnight in the zone $3 days after their entry was first complete (unix seconds),
// and that day (YYYY-MM-DD); NULLs for an entry never complete, no row for nobody.
inline constexpr Statement kSignupEligibleFrom{
    "signup_eligible_from",
    "SELECT extract(epoch FROM e.local_day AT TIME ZONE $2::text)::bigint,"
    " to_char(e.local_day, 'YYYY-MM-DD')"
    " FROM directory_people p, LATERAL (SELECT date_trunc('day', p.first_complete_at AT TIME"
    " ZONE $2::text) + make_interval(days => $3::int) AS local_day) e"
    " WHERE p.employee_no = $1",
};

}  // namespace govmail::storage::sql
