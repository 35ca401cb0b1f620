// The password change (SPEC "Self-service portal"): the current password and the new one
// twice. The new one must pass the rules of `mailadm account password`; the current one is
// checked through the brute-force throttle the mail daemons share (a wrong one counts as a
// failed login of the account, from the browser's address, with the same delays and locks).
// The new password is stored as Argon2id; the SMS trusts of the old one end with it (they are
// bound to the old hash), the account's other portal sessions end, and the change is audited.
// App passwords stay: they are separate per-device secrets, revoked on their own page.

#include "selfservice/password.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/login_throttle.hpp"
#include "common/names.hpp"
#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/pages/first_password.hpp"
#include "portal/pages/page_parts.hpp"
#include "portal/pages/pages.hpp"
#include "portal/sessions.hpp"
#include "portal/tokens.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

std::string password_form(const Visit& visit) {
    const auto lang = visit.lang;
    const auto attributes = "autocomplete=\"new-password\" minlength=\"8\" required";
    return "<form id=\"password-form\" method=\"post\" action=\"/password\">" +
           csrf_field(visit.csrf_token) +
           input(
               "current", tr(lang, Msg::CurrentPassword), "password", {},
               "autocomplete=\"current-password\" required"
           ) +
           input("new", tr(lang, Msg::NewPassword), "password", {}, attributes) +
           input("again", tr(lang, Msg::NewPasswordAgain), "password", {}, attributes) +
           "<button id=\"password-submit\" type=\"submit\">" +
           escape(tr(lang, Msg::ChangePassword)) + "</button></form>";
}

Response password_page(const Visit& visit, std::string_view top, unsigned status) {
    return signed_in_page(
        visit, Msg::ChangePassword, std::string(top) + password_form(visit), status
    );
}

Response refused(const Visit& visit, Msg why, unsigned status) {
    return password_page(visit, alert(tr(visit.lang, why)), status);
}

struct Check {
    bool right = false;
    bool locked = false;  // the name or address is locked: nothing was compared, or this locked it
};

// Whether CURRENT is the account's password, checked under the throttle's admission;
// nothing when the throttle or the store failed.

awaitable<std::optional<Check>> check_current(
    Portal& portal, const Request& request, const Visit& visit, const std::string& current
) {
    const auto& account = visit.session->account;
    const auto user = fold_case(account.address);
    const auto address = request.peer.to_string();
    auth::LoginThrottle throttle(portal.pool, portal.config.auth);
    const auto admission = co_await throttle.admit(user, address);
    if (!admission || admission->verdict == auth::AdmissionVerdict::Busy) {
        co_return std::nullopt;
    }
    if (admission->verdict == auth::AdmissionVerdict::Locked) {
        co_return Check{false, true};
    }
    const auto phc = co_await portal.credentials.password_hash(account.id);
    if (!phc) {
        co_await throttle.release(*admission);
        co_return std::nullopt;
    }
    bool right = false;
    if (*phc) {
        right = co_await portal.authenticator.verify_password(**phc, current);
    }
    if (!right) {
        const auto failure = co_await throttle.record_failure(user, address, *admission);
        const auto failures = failure ? failure->failures : 1;
        boost::asio::steady_timer delay(
            co_await boost::asio::this_coro::executor,
            auth::failure_delay(portal.config.auth, failures)
        );
        co_await delay.async_wait(boost::asio::use_awaitable);
        co_return Check{false, failure && failure->locked_now};
    }
    const auto still_open = co_await throttle.record_success(user, address, *admission);
    if (!still_open) {
        co_return std::nullopt;
    }
    co_return Check{*still_open, !*still_open};
}

// The change, or the first password when the account has none (first_password.hpp).
awaitable<Response> get_password(Portal& portal, const Request&, const Visit& visit) {
    const auto phc = co_await portal.credentials.password_hash(visit.session->account.id);
    if (!phc) {
        co_return temporary_error_page(visit, Msg::ChangePassword);
    }
    if (!*phc) {
        co_return first_password_page(visit, {}, 200);
    }
    co_return password_page(visit, {}, 200);
}

awaitable<Response> post_password(Portal& portal, const Request& request, const Visit& visit) {
    const auto current = std::string(field(request.form, "current"));
    const auto fresh = std::string(field(request.form, "new"));
    if (fresh != field(request.form, "again")) {
        co_return refused(visit, Msg::PasswordsDiffer, 400);
    }
    if (selfservice::password_problem(fresh)) {
        co_return refused(visit, Msg::PasswordPolicy, 400);
    }
    const auto check = co_await check_current(portal, request, visit, current);
    if (!check) {
        co_return temporary_error_page(visit, Msg::ChangePassword);
    }
    if (check->locked) {
        co_await audit(portal, request, visit, "password.change", "refused: locked");
        co_return refused(visit, Msg::TooManyAttempts, 429);
    }
    if (!check->right) {
        co_await audit(
            portal, request, visit, "password.change", "refused: wrong current password"
        );
        co_return refused(visit, Msg::CurrentPasswordWrong, 400);
    }
    const auto account = visit.session->account.id;
    const auto phc = co_await portal.authenticator.hash_password(fresh);
    const auto stored = co_await selfservice::store_password(
        portal.pool, actor(request, visit), account, phc, selfservice::PasswordSetter::Owner,
        "changed"
    );
    if (!stored) {
        co_return temporary_error_page(visit, Msg::ChangePassword);
    }
    const auto own_session = token_digest(field(request.cookies, kSessionCookie));
    if (!co_await portal.sessions.remove_others(account, own_session)) {
        co_await audit(
            portal, request, visit, "password.change", "other portal sessions NOT ended"
        );
        co_return temporary_error_page(visit, Msg::ChangePassword);
    }
    co_return password_page(visit, notice(tr(visit.lang, Msg::PasswordChanged)), 200);
}

}  // namespace

void add_password_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", "/password", Access::SignedIn, get_password);
    r.add("POST", "/password", Access::SignedIn, post_password);
    add_first_password_pages(portal);
}

}  // namespace govmail::portal
