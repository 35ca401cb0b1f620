// Digital OnePass sign-in (SAML 2.0 Web SSO, auth/saml/): the AuthnRequest by redirect, the
// assertion consumer, and the SP metadata. The browser that starts a sign-in gets a cookie
// naming its request; the response must answer exactly that request, so a response captured
// elsewhere (or one an attacker obtained for their own request) signs no other browser in.
// The cookies are SameSite=None: the provider's page POSTs the response from its own site. A
// second cookie keeps the page asked for before the sign-in (next_path.hpp; RelayState is too
// short for it), checked again when it comes back.

#include <spdlog/spdlog.h>

#include <ctime>
#include <stdexcept>

#include "auth/saml/sp_metadata.hpp"
#include "common/percent_encoding.hpp"
#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/next_path.hpp"
#include "portal/pages/pages.hpp"
#include "portal/sessions.hpp"
#include "portal/tokens.hpp"

namespace govmail::portal {
namespace {

using auth::saml::SignInOutcome;
using auth::saml::SignInRefusal;
using boost::asio::awaitable;

constexpr std::string_view kRequestCookie = "__Host-govmail_saml";
constexpr std::string_view kNextCookie = "__Host-govmail_saml_next";
constexpr std::string_view kMetadataPath = "/saml/metadata";

Response refused_page(Lang lang, Msg message, unsigned status) {
    return html_response(
        page(lang, tr(lang, Msg::SignIn), alert(tr(lang, message)), false), status
    );
}

std::string forget_cookie(std::string_view name) {
    return set_cookie(name, "", std::chrono::seconds(0), SameSite::None);
}

std::string refusal_detail(const SignInOutcome& outcome) {
    switch (*outcome.refusal) {
        case SignInRefusal::Response:
            return "onepass response refused: " +
                   std::string(auth::saml::describe(*outcome.response));
        case SignInRefusal::UnknownRequest:
            return "onepass response answers no open request";
        case SignInRefusal::Replayed:
            return "onepass assertion replayed";
        case SignInRefusal::UnknownPerson:
            return "onepass user key names nobody in the directory";
        case SignInRefusal::Retired:
            return "onepass sign-in of a retired person";
    }
    return "onepass sign-in refused";
}

// Who the audit entry of OUTCOME names: the account, else the person, else the provider.
std::string actor_of(const SignInOutcome& outcome) {
    if (outcome.person.account) {
        return *outcome.person.account;
    }
    return outcome.person.employee_no.empty() ? std::string("onepass")
                                              : "employee " + outcome.person.employee_no;
}

awaitable<Response> get_start(Portal& portal, const Request& request, const Visit& visit) {
    auto started = co_await portal.onepass->start({}, std::time(nullptr));
    if (!started) {
        spdlog::error("portal: OnePass request not stored: {}", started.error().message());
        co_return refused_page(visit.lang, Msg::TemporaryError, 503);
    }
    auto out = redirect(started->url);
    out.headers.emplace_back(
        "Set-Cookie", set_cookie(
                          kRequestCookie, started->request_id,
                          portal.config.auth.onepass.request_lifetime, SameSite::None
                      )
    );
    out.headers.emplace_back(
        "Set-Cookie", set_cookie(
                          kNextCookie, percent_encode(safe_next(field(request.query, "next"))),
                          portal.config.auth.onepass.request_lifetime, SameSite::None
                      )
    );
    co_return out;
}

awaitable<Response> answer(
    Portal& portal, const Request& request, const Visit& visit, const SignInOutcome& outcome
) {
    const bool this_browsers_request =
        !outcome.request_id.empty() &&
        token_matches(field(request.cookies, kRequestCookie), outcome.request_id);
    if (!outcome.refusal && !this_browsers_request) {
        co_await audit_visitor(
            portal, request, actor_of(outcome), std::nullopt, "login.failure",
            "onepass response answers another browser's request"
        );
        co_return refused_page(visit.lang, Msg::OnePassRefused, 403);
    }
    if (outcome.refusal) {
        const auto detail = refusal_detail(outcome);
        spdlog::info("portal: {} from {}", detail, request.peer.to_string());
        co_await audit_visitor(
            portal, request, actor_of(outcome), std::nullopt, "login.failure", detail
        );
        switch (*outcome.refusal) {
            case SignInRefusal::Retired:
                co_return refused_page(visit.lang, Msg::AccountRefused, 403);
            case SignInRefusal::UnknownPerson:
                co_return refused_page(visit.lang, Msg::SignupNotInDirectory, 403);
            default:
                co_return refused_page(visit.lang, Msg::OnePassRefused, 403);
        }
    }
    if (!outcome.person.account) {
        co_return to_signup(portal, SignupPass{outcome.person.employee_no, std::nullopt});
    }
    // The Authenticator decides whether the account may log in, and audits it.
    auto attempt = login_attempt(request, auth::Method::OnePass);
    attempt.user = outcome.person.employee_no;
    const auto result = co_await portal.authenticator.login(attempt);
    if (result.temporary) {
        co_return refused_page(visit.lang, Msg::TemporaryError, 503);
    }
    if (!result.account) {
        co_return refused_page(visit.lang, Msg::AccountRefused, 403);
    }
    co_return co_await start_session(
        portal, *result.account, visit.lang, percent_decode(field(request.cookies, kNextCookie))
    );
}

awaitable<Response> post_assertion(Portal& portal, const Request& request, const Visit& visit) {
    Response out;
    if (field(request.cookies, kRequestCookie).empty()) {
        out = refused_page(visit.lang, Msg::OnePassRefused, 403);
    } else {
        const auto finished = co_await portal.onepass->finish(
            std::string(field(request.form, "SAMLResponse")), std::time(nullptr)
        );
        if (finished) {
            out = co_await answer(portal, request, visit, *finished);
        } else {
            spdlog::error("portal: OnePass sign-in failed: {}", finished.error().message());
            out = refused_page(visit.lang, Msg::TemporaryError, 503);
        }
    }
    out.headers.emplace_back("Set-Cookie", forget_cookie(kRequestCookie));
    out.headers.emplace_back("Set-Cookie", forget_cookie(kNextCookie));
    co_return out;
}

awaitable<Response> get_metadata(Portal& portal, const Request&, const Visit& visit) {
    try {
        Response out;
        out.content_type = "application/samlmetadata+xml";
        out.body = auth::saml::sp_metadata_xml(portal.config.auth.onepass);
        co_return out;
    } catch (const std::runtime_error& e) {
        spdlog::error("portal: SP metadata: {}", e.what());
    }
    co_return refused_page(visit.lang, Msg::TemporaryError, 503);
}

// The path of URL ("https://host:port/saml/acs" -> "/saml/acs"); empty when it has none.
std::string path_of(std::string_view url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    if (slash == std::string_view::npos) {
        return {};
    }
    return std::string(url.substr(slash, url.find_first_of("?#", slash) - slash));
}

}  // namespace

void add_onepass_pages(Portal& portal) {
    const auto& config = portal.config.auth.onepass;
    if (!config.enabled()) {
        return;
    }
    const auto acs_path = path_of(config.acs_url);
    if (acs_path.empty()) {
        throw std::runtime_error("onepass.acs_url '" + config.acs_url + "' has no path");
    }
    portal.onepass.emplace(config, portal.pool);
    auto& r = portal.router;
    r.add("GET", std::string(kOnePassPath), Access::Public, get_start);
    r.add("POST", acs_path, Access::AssertionConsumer, post_assertion);
    r.add("GET", std::string(kMetadataPath), Access::Public, get_metadata);
}

}  // namespace govmail::portal
