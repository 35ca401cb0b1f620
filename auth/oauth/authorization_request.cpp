#include "auth/oauth/authorization_request.hpp"

#include <algorithm>

#include "auth/oauth/pkce.hpp"
#include "common/percent_encoding.hpp"

namespace govmail::auth::oauth {
namespace {

AuthorizationError shown(std::string description) {
    return AuthorizationError{"invalid_request", std::move(description), false};
}

AuthorizationError redirected(std::string error, std::string description) {
    return AuthorizationError{std::move(error), std::move(description), true};
}

std::string with_query(
    std::string_view redirect_uri,
    std::string_view name,
    std::string_view value,
    std::string_view state
) {
    std::string out(redirect_uri);
    out += redirect_uri.find('?') == std::string_view::npos ? '?' : '&';
    out += std::string(name) + "=" + percent_encode(value);
    if (!state.empty()) {
        out += "&state=" + percent_encode(state);
    }
    return out;
}

}  // namespace

std::optional<AuthorizationError> check_authorization_request(
    const OAuthConfig& config, const AuthorizationRequest& request
) {
    const auto& clients = config.clients;
    const bool known_client =
        std::any_of(clients.begin(), clients.end(), [&](const OAuthClient& c) {
            return c.id == request.client_id;
        });
    if (!known_client) {
        return shown("unknown client");
    }
    const bool registered = std::any_of(clients.begin(), clients.end(), [&](const OAuthClient& c) {
        return c.id == request.client_id && c.redirect_uri == request.redirect_uri;
    });
    if (!registered) {
        return shown("the redirect URI is not registered for this client");
    }
    if (request.response_type != "code") {
        return redirected("unsupported_response_type", "only the authorization code flow");
    }
    if (request.code_challenge_method != "S256") {
        return redirected("invalid_request", "PKCE with code_challenge_method S256 is required");
    }
    if (!is_s256_challenge(request.code_challenge)) {
        return redirected("invalid_request", "code_challenge is not a S256 challenge");
    }
    return std::nullopt;
}

std::string redirect_with_code(
    std::string_view redirect_uri, std::string_view code, std::string_view state
) {
    return with_query(redirect_uri, "code", code, state);
}

std::string redirect_with_error(
    std::string_view redirect_uri, std::string_view error, std::string_view state
) {
    return with_query(redirect_uri, "error", error, state);
}

}  // namespace govmail::auth::oauth
