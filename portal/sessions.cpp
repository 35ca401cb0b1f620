#include "portal/sessions.hpp"

#include <spdlog/spdlog.h>

#include "portal/html.hpp"
#include "portal/next_path.hpp"
#include "portal/tokens.hpp"

namespace govmail::portal {

boost::asio::awaitable<std::optional<storage::PortalSession>> find_session(
    Portal& portal, const Request& request
) {
    const auto id = field(request.cookies, kSessionCookie);
    if (id.empty()) {
        co_return std::nullopt;
    }
    auto found = co_await portal.sessions.use(token_digest(id), portal.config.portal.session_idle);
    if (!found) {
        co_return std::nullopt;
    }
    co_return std::move(*found);
}

boost::asio::awaitable<Response> start_session(
    Portal& portal, const storage::Account& account, Lang lang, std::string_view next
) {
    const auto id = random_token();
    const auto lifetime = portal.config.portal.session_lifetime;
    const auto removed = co_await portal.sessions.remove_ended(portal.config.portal.session_idle);
    if (!removed) {
        spdlog::warn("portal: ended sessions not removed: {}", removed.error().message());
    }
    const auto created =
        co_await portal.sessions.create(token_digest(id), account.id, random_token(), lifetime);
    if (!created) {
        spdlog::error("portal: session not stored: {}", created.error().message());
        co_return html_response(
            page(lang, tr(lang, Msg::SignIn), alert(tr(lang, Msg::TemporaryError)), false), 503
        );
    }
    spdlog::info("portal: session started for {}", account.address);
    auto out = redirect(safe_next(next));
    out.headers.emplace_back("Set-Cookie", set_cookie(kSessionCookie, id, lifetime, SameSite::Lax));
    co_return out;
}

boost::asio::awaitable<Response> end_session(Portal& portal, const Request& request) {
    const auto id = field(request.cookies, kSessionCookie);
    if (!id.empty()) {
        const auto removed = co_await portal.sessions.remove(token_digest(id));
        if (!removed) {
            spdlog::error("portal: session not removed: {}", removed.error().message());
        }
    }
    auto out = redirect("/signin");
    out.headers.emplace_back(
        "Set-Cookie", set_cookie(kSessionCookie, "", std::chrono::seconds(0), SameSite::Lax)
    );
    co_return out;
}

}  // namespace govmail::portal
