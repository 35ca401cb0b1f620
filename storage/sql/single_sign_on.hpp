#pragma once

// The portal's single sign-on state: SAML AuthnRequests issued (answerable once, until they
// expire), assertion IDs accepted (kept until the assertion expires), OAuth authorisation codes
// (stored as SHA-256, single-use, short-lived). Each taking statement also drops expired rows.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 request id, $2 seconds it may be answered.
inline constexpr Statement kRecordSamlRequest{
    "record_saml_request",
    "WITH gone AS (DELETE FROM saml_requests WHERE expires_at <= now())"
    " INSERT INTO saml_requests (request_id, expires_at)"
    " VALUES ($1, now() + make_interval(secs => $2::integer))",
};
// $1 request id: one row when it was issued and has not expired; it is answered now.
inline constexpr Statement kTakeSamlRequest{
    "take_saml_request",
    "DELETE FROM saml_requests WHERE request_id = $1 AND expires_at > now() RETURNING 1",
};
// $1 assertion id, $2 unix seconds it expires: one row unless it was seen before.
inline constexpr Statement kRecordSamlAssertion{
    "record_saml_assertion",
    "WITH gone AS (DELETE FROM saml_assertions WHERE expires_at <= now())"
    " INSERT INTO saml_assertions (assertion_id, expires_at) VALUES ($1, to_timestamp($2))"
    " ON CONFLICT (assertion_id) DO NOTHING RETURNING 1",
};

// $1 code SHA-256 (bytea), $2 account, $3 client id, $4 redirect URI, $5 code challenge,
// $6 seconds the code lives.
inline constexpr Statement kCreateOauthCode{
    "create_oauth_code",
    "WITH gone AS (DELETE FROM oauth_codes WHERE expires_at <= now())"
    " INSERT INTO oauth_codes (code_sha256, account_id, client_id, redirect_uri, code_challenge,"
    " expires_at) VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::integer))",
};
// $1 code SHA-256 (bytea): the code, gone now, with its account's address, when it has not
// expired and the account is active.
inline constexpr Statement kTakeOauthCode{
    "take_oauth_code",
    "WITH c AS (DELETE FROM oauth_codes WHERE code_sha256 = $1 RETURNING *)"
    " SELECT c.account_id, a.address, c.client_id, c.redirect_uri, c.code_challenge"
    " FROM c JOIN accounts a USING (account_id) WHERE c.expires_at > now()"
    " AND account_may_log_in(a.state)",
};

}  // namespace govmail::storage::sql
