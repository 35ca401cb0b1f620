#include "portal/dispatch.hpp"

#include "portal/html.hpp"
#include "portal/next_path.hpp"
#include "portal/sessions.hpp"
#include "portal/tokens.hpp"

namespace govmail::portal {
namespace {

constexpr std::chrono::seconds kLangCookieAge{365 * 86400};

Response refusal(Lang lang, Msg message, unsigned status) {
    return html_response(page(lang, tr(lang, message), alert(tr(lang, message)), false), status);
}

bool carries_csrf_token(Access access) {
    return access == Access::Public || access == Access::SignedIn;
}

}  // namespace

Lang request_lang(const Request& request) {
    const auto asked = field(request.query, "lang");
    return lang_from_code(asked.empty() ? field(request.cookies, kLangCookie) : asked);
}

boost::asio::awaitable<Response> dispatch(Portal& portal, const Request& request) {
    Visit visit;
    visit.lang = request_lang(request);
    if (!allowed_from(portal.config.portal.networks, request.peer)) {
        co_return refusal(visit.lang, Msg::Forbidden, 403);
    }
    const Route* route = portal.router.find(request.method, request.path);
    if (route == nullptr) {
        co_return refusal(
            visit.lang, Msg::NotFound, portal.router.has_path(request.path) ? 405 : 404
        );
    }
    std::vector<std::pair<std::string, std::string>> cookies;
    if (!field(request.query, "lang").empty()) {
        cookies.emplace_back(
            "Set-Cookie",
            set_cookie(kLangCookie, lang_code(visit.lang), kLangCookieAge, SameSite::Lax)
        );
    }
    switch (route->access) {
        case Access::SignedIn:
            visit.session = co_await find_session(portal, request);
            if (!visit.session) {
                // a page asked for is kept through the sign-in; a form POSTed is not
                co_return redirect(
                    with_next("/signin", request.method == "GET" ? request.target : "")
                );
            }
            visit.csrf_token = visit.session->csrf_token;
            break;
        case Access::Public:
            visit.csrf_token = std::string(field(request.cookies, kFormCookie));
            if (visit.csrf_token.empty()) {
                visit.csrf_token = random_token();
                cookies.emplace_back(
                    "Set-Cookie",
                    set_cookie(
                        kFormCookie, visit.csrf_token, std::chrono::seconds(3600), SameSite::Strict
                    )
                );
            }
            break;
        case Access::AssertionConsumer:
        case Access::ClientEndpoint:
        case Access::Asset:
            break;  // the handler checks what proves the request (router.hpp)
    }
    if (request.method == "POST" && carries_csrf_token(route->access) &&
        !token_matches(visit.csrf_token, field(request.form, "csrf"))) {
        co_return refusal(visit.lang, Msg::CsrfRefused, 403);
    }
    auto response = co_await route->handler(portal, request, visit);
    response.headers.insert(response.headers.end(), cookies.begin(), cookies.end());
    co_return response;
}

}  // namespace govmail::portal
