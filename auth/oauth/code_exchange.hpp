#pragma once

// Authorisation codes (RFC 6749 section 4.1 with PKCE, RFC 7636): issued to a signed-in account
// for a checked request, stored only as their SHA-256, valid once and for a short time; the token
// endpoint exchanges one, with the client id, the same redirect URI and the PKCE verifier, for an
// access token of the suite's token service (the JWTs IMAP and SMTP accept with OAUTHBEARER and
// XOAUTH2). Replies are RFC 6749 section 5 JSON.

#include <boost/asio/awaitable.hpp>
#include <ctime>
#include <string>

#include "auth/oauth/authorization_request.hpp"
#include "common/config.hpp"
#include "common/result.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::auth::oauth {

struct TokenRequest {
    std::string grant_type;
    std::string code;
    std::string redirect_uri;
    std::string client_id;
    std::string code_verifier;
};

struct TokenReply {
    unsigned status = 200;  // 200, or 400 with an RFC 6749 5.2 error
    std::string json;
};

class AuthorizationCodes {
public:
    AuthorizationCodes(OAuthConfig oauth, TokenConfig token, storage::Pool& pool);

    // A new code for ACCOUNT answering REQUEST (already checked).
    boost::asio::awaitable<Result<std::string>> issue(
        storage::AccountId account, AuthorizationRequest request
    );
    // An error only when the database failed; a refusal is a 400 reply.
    boost::asio::awaitable<Result<TokenReply>> exchange(TokenRequest request, std::time_t now);

private:
    OAuthConfig oauth_;
    TokenConfig token_;
    storage::Pool& pool_;
};

}  // namespace govmail::auth::oauth
