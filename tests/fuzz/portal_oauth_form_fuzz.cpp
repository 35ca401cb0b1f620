// libFuzzer target for the portal's OAuth 2.0 form handling (RFC 6749 sections 4.1.1 and
// 4.1.3, RFC 7636): a query string or form body decoded as the authorisation endpoint reads it
// (portal::authorization_request()) and checked against registered clients
// (auth::oauth::check_authorization_request()), the redirects built from it, and the PKCE
// verifier the token endpoint reads from the same kind of form.
// Invariants: an accepted request names a registered client and its redirect URI exactly, with
// response_type "code" and an S256 challenge; an error is sent to the redirect URI only when
// that URI is registered for the client; a redirect starts with the redirect URI and its added
// parameters decode back to the code (or error) and state, nothing more; a verifier matches
// its own S256 challenge exactly when it is well-formed, and a malformed one matches nothing.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/oauth/pkce.hpp"
#include "portal/oauth_form.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using govmail::fuzz::check;
namespace oauth = govmail::auth::oauth;
namespace portal = govmail::portal;

const govmail::OAuthConfig& config() {
    static const govmail::OAuthConfig registered{
        {{"mail-app", "http://127.0.0.1:8080/callback"},
         {"mail-app", "com.example.mail:/oauth?x=1"},
         {"desktop", "https://app.example/cb"}},
    };
    return registered;
}

bool registered(const oauth::AuthorizationRequest& request) {
    return std::ranges::any_of(config().clients, [&](const govmail::OAuthClient& c) {
        return c.id == request.client_id && c.redirect_uri == request.redirect_uri;
    });
}

// The parameters REDIRECT added after REDIRECT_URI must decode to exactly NAME=VALUE and the
// state (when set).
void check_redirect(
    std::string_view redirect,
    const oauth::AuthorizationRequest& request,
    std::string_view name,
    std::string_view value
) {
    check(redirect.starts_with(request.redirect_uri), "a redirect starts with the redirect URI");
    const auto added = portal::decode_form(redirect.substr(request.redirect_uri.size() + 1));
    check(portal::field(added, name) == value, "the redirect carries its code or error");
    check(portal::field(added, "state") == request.state, "the redirect carries the state");
    check(added.size() == (request.state.empty() ? 1U : 2U), "the redirect adds nothing more");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto fields = portal::decode_form(govmail::fuzz::as_text(data, size));

    const auto asked = portal::authorization_request(fields);
    const auto error = oauth::check_authorization_request(config(), asked);
    if (!error) {
        check(registered(asked), "an accepted request names a registered redirect URI");
        check(asked.response_type == "code", "an accepted request asks for a code");
        check(asked.code_challenge_method == "S256", "an accepted request uses S256");
        check(oauth::is_s256_challenge(asked.code_challenge), "with an S256 challenge");
        check_redirect(
            oauth::redirect_with_code(asked.redirect_uri, "c0de", asked.state), asked, "code",
            "c0de"
        );
    } else if (error->redirect) {
        check(registered(asked), "errors are redirected only to a registered URI");
        check_redirect(
            oauth::redirect_with_error(asked.redirect_uri, error->error, asked.state), asked,
            "error", error->error
        );
    }

    const auto verifier = portal::field(fields, "code_verifier");
    const bool well_formed = oauth::is_code_verifier(verifier);
    check(
        oauth::verifier_matches(verifier, oauth::s256_challenge(verifier)) == well_formed,
        "a verifier matches its own challenge exactly when it is well-formed"
    );
    if (!well_formed) {
        check(
            !oauth::verifier_matches(verifier, asked.code_challenge),
            "a malformed verifier matches no challenge"
        );
    }
    return 0;
}
