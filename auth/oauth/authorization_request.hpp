#pragma once

// The checks of an OAuth 2.0 authorisation request (RFC 6749 section 4.1.1 with RFC 7636 and
// the security BCP, RFC 9700): response_type "code", a registered client id, its redirect URI
// matched exactly (a mismatch is never redirected to: the user is shown the error instead), and a
// PKCE challenge with method S256. Pure functions over untrusted query values.

#include <optional>
#include <string>
#include <string_view>

#include "common/config.hpp"

namespace govmail::auth::oauth {

struct AuthorizationRequest {
    std::string response_type;
    std::string client_id;
    std::string redirect_uri;
    std::string code_challenge;
    std::string code_challenge_method;
    std::string state;  // returned to the client unchanged
    std::string scope;  // informational: tokens are for mail access
};

struct AuthorizationError {
    std::string error;  // RFC 6749 4.1.2.1 code: invalid_request, unsupported_response_type, ...
    std::string description;
    bool redirect = false;  // false: show it to the user, never send it to the redirect URI
};

// Nothing when REQUEST may be granted.
std::optional<AuthorizationError> check_authorization_request(
    const OAuthConfig& config, const AuthorizationRequest& request
);

// The redirect URI with "code" and "state" (when set) added to its query.
std::string redirect_with_code(
    std::string_view redirect_uri, std::string_view code, std::string_view state
);
// The redirect URI with "error" and "state" (when set) added to its query.
std::string redirect_with_error(
    std::string_view redirect_uri, std::string_view error, std::string_view state
);

}  // namespace govmail::auth::oauth
