// The OAuth 2.0 authorisation endpoint (auth/oauth/): a signed-in user is asked whether a
// registered client (a mail program set up with a custom provider) may use their mail; on
// "allow" the client gets an authorisation code bound to its PKCE challenge, which the token
// endpoint exchanges for the token service's access token (IMAP/SMTP OAUTHBEARER, XOAUTH2).
// A request naming an unknown client or redirect URI is shown to the user, never redirected.
// The consent form's answer is a redirect to the client, so the consent page lets its form go
// to the redirect URI's origin too (the content security policy's form-action).

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/oauth_form.hpp"
#include "portal/pages/pages.hpp"

namespace govmail::portal {
namespace {

using auth::oauth::AuthorizationRequest;
using boost::asio::awaitable;

constexpr std::string_view kAuthorizePath = "/oauth/authorize";

std::string hidden(std::string_view name, std::string_view value) {
    return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
}

// The origin of URL as a CSP source ("http://127.0.0.1:8080/cb" -> "http://127.0.0.1:8080"),
// or empty when it is not plainly a scheme and a host (nothing that could end the directive).
std::string origin_of(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) {
        return {};
    }
    const auto authority_end = url.find_first_of("/?#", scheme_end + 3);
    const auto origin = url.substr(0, authority_end);
    const bool plain = std::ranges::all_of(origin, [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '/' || c == '[' ||
               c == ']';
    });
    return plain && origin.size() > scheme_end + 3 ? std::string(origin) : std::string();
}

Response consent_page(const Visit& visit, const AuthorizationRequest& request) {
    const auto lang = visit.lang;
    const auto body =
        "<p>" + escape(tr(lang, Msg::OAuthConsentText)) + " <strong id=\"client\">" +
        escape(request.client_id) + "</strong></p><form id=\"consent-form\" method=\"post\" " +
        "action=\"" + std::string(kAuthorizePath) + "\">" + csrf_field(visit.csrf_token) +
        hidden("response_type", request.response_type) + hidden("client_id", request.client_id) +
        hidden("redirect_uri", request.redirect_uri) +
        hidden("code_challenge", request.code_challenge) +
        hidden("code_challenge_method", request.code_challenge_method) +
        hidden("state", request.state) + hidden("scope", request.scope) +
        "<button id=\"allow\" type=\"submit\" name=\"decision\" value=\"allow\">" +
        escape(tr(lang, Msg::OAuthAllow)) +
        "</button> <button id=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\">" +
        escape(tr(lang, Msg::OAuthDeny)) + "</button></form>";
    auto out = html_response(page(lang, tr(lang, Msg::OAuthConsent), body, true, visit.csrf_token));
    if (const auto client = origin_of(request.redirect_uri); !client.empty()) {
        out.form_action += " " + client;
    }
    return out;
}

// The answer to a request the checks refused: to the client when its redirect URI is
// registered, else to the user.
Response refusal(
    const Visit& visit,
    const auth::oauth::AuthorizationError& error,
    const AuthorizationRequest& request
) {
    if (error.redirect) {
        return redirect(
            auth::oauth::redirect_with_error(request.redirect_uri, error.error, request.state)
        );
    }
    const auto lang = visit.lang;
    return html_response(
        page(
            lang, tr(lang, Msg::OAuthConsent),
            alert(std::string(tr(lang, Msg::OAuthBadRequest)) + " " + error.description), true,
            visit.csrf_token
        ),
        400
    );
}

awaitable<Response> get_authorize(Portal& portal, const Request& request, const Visit& visit) {
    const auto asked = authorization_request(request.query);
    if (const auto error =
            auth::oauth::check_authorization_request(portal.config.auth.oauth, asked)) {
        co_return refusal(visit, *error, asked);
    }
    co_return consent_page(visit, asked);
}

awaitable<Response> post_authorize(Portal& portal, const Request& request, const Visit& visit) {
    const auto asked = authorization_request(request.form);
    if (const auto error =
            auth::oauth::check_authorization_request(portal.config.auth.oauth, asked)) {
        co_return refusal(visit, *error, asked);
    }
    if (field(request.form, "decision") != "allow") {
        co_return redirect(
            auth::oauth::redirect_with_error(asked.redirect_uri, "access_denied", asked.state)
        );
    }
    const auto code = co_await portal.oauth_codes.issue(visit.session->account.id, asked);
    if (!code) {
        spdlog::error("portal: authorisation code not stored: {}", code.error().message());
        co_return redirect(auth::oauth::redirect_with_error(
            asked.redirect_uri, "temporarily_unavailable", asked.state
        ));
    }
    co_await audit(portal, request, visit, "oauth.grant", "client " + asked.client_id);
    co_return redirect(auth::oauth::redirect_with_code(asked.redirect_uri, *code, asked.state));
}

Response json_response(unsigned status, std::string json) {
    Response out;
    out.status = status;
    out.content_type = "application/json";
    out.body = std::move(json);
    return out;
}

awaitable<Response> post_token(Portal& portal, const Request& request, const Visit&) {
    const auth::oauth::TokenRequest asked{
        std::string(field(request.form, "grant_type")),
        std::string(field(request.form, "code")),
        std::string(field(request.form, "redirect_uri")),
        std::string(field(request.form, "client_id")),
        std::string(field(request.form, "code_verifier")),
    };
    const auto reply = co_await portal.oauth_codes.exchange(asked, std::time(nullptr));
    if (!reply) {
        spdlog::error("portal: authorisation code not exchanged: {}", reply.error().message());
        co_return json_response(
            503, R"({"error":"temporarily_unavailable","error_description":"try again later"})"
        );
    }
    co_return json_response(reply->status, reply->json);
}

}  // namespace

void add_oauth_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", std::string(kAuthorizePath), Access::SignedIn, get_authorize);
    r.add("POST", std::string(kAuthorizePath), Access::SignedIn, post_authorize);
    r.add("POST", "/oauth/token", Access::ClientEndpoint, post_token);
}

}  // namespace govmail::portal
