// The sign-in pages. A password sign-in goes through the same DatabaseAuthenticator as the
// mail daemons (brute-force throttle, audit, SMS second factor): the password alone gets a
// code sent, and the code page carries only the id of a pending sign-in (pending_signins.hpp)
// bound to the account whose password was right, never the password; the code is then
// judged by DatabaseAuthenticator::confirm_code. The ID field takes the full address or the
// mail ID alone (login_name.hpp). Every form
// (and the OnePass link) carries the page the visitor asked for (next_path.hpp), landed on
// after the sign-in. The owner of a good certificate bound to no account is given the signup
// page (signup.cpp), which files their request with the certificate.

#include "auth/database_authenticator.hpp"
#include "portal/html.hpp"
#include "portal/login_name.hpp"
#include "portal/login_text.hpp"
#include "portal/next_path.hpp"
#include "portal/pages/pages.hpp"
#include "portal/sessions.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

// The page asked for before the sign-in, from the query (the sign-in page) or the form.
std::string next_of(const Fields& fields) { return safe_next(field(fields, "next")); }

std::string next_field(std::string_view next) {
    return "<input type=\"hidden\" name=\"next\" value=\"" + escape(next) + "\">";
}

std::string password_form(
    const Visit& visit, std::string_view user, std::string_view error, std::string_view next
) {
    const auto lang = visit.lang;
    return alert(error) + "<form id=\"signin-form\" method=\"post\" action=\"/signin\">" +
           csrf_field(visit.csrf_token) + next_field(next) +
           input(
               "user", tr(lang, Msg::UserId), "text", user, "autocomplete=\"username\" required"
           ) +
           input(
               "password", tr(lang, Msg::Password), "password", {},
               "autocomplete=\"current-password\" required"
           ) +
           "<button id=\"signin-submit\" type=\"submit\">" + escape(tr(lang, Msg::SignInButton)) +
           "</button></form>";
}

std::string other_methods(Portal& portal, const Visit& visit, std::string_view next) {
    const auto lang = visit.lang;
    std::string out;
    if (!portal.config.auth.gpki.ca_bundle.empty()) {
        out +=
            "<h2>" + escape(tr(lang, Msg::CertificateSignIn)) +
            "</h2><form id=\"certificate-form\" method=\"post\" action=\"/signin/certificate\">" +
            csrf_field(visit.csrf_token) + next_field(next) +
            "<button id=\"certificate-submit\" type=\"submit\">" +
            escape(tr(lang, Msg::CertificateButton)) + "</button></form>";
    }
    if (portal.config.auth.onepass.enabled()) {
        out += "<p><a id=\"onepass\" href=\"" + escape(with_next(kOnePassPath, next)) + "\">" +
               escape(tr(lang, Msg::OnePassButton)) + "</a></p>";
    }
    return out;
}

Response signin_page(
    Portal& portal,
    const Visit& visit,
    std::string_view user,
    std::string_view error,
    unsigned status,
    std::string_view next
) {
    return html_response(
        page(
            visit.lang, tr(visit.lang, Msg::SignIn),
            password_form(visit, user, error, next) + other_methods(portal, visit, next), false
        ),
        status
    );
}

Response code_page(
    const Visit& visit, std::string_view pending_id, std::string_view message, std::string_view next
) {
    const auto lang = visit.lang;
    const auto body =
        notice(message) + "<form id=\"code-form\" method=\"post\" action=\"/signin/code\">" +
        csrf_field(visit.csrf_token) + next_field(next) +
        "<input type=\"hidden\" name=\"pending\" value=\"" + escape(pending_id) + "\">" +
        input(
            "code", tr(lang, Msg::SmsCode), "text", {},
            "inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" "
            "autocomplete=\"one-time-code\" required"
        ) +
        "<button id=\"code-submit\" type=\"submit\">" + escape(tr(lang, Msg::Verify)) +
        "</button></form>";
    return html_response(page(lang, tr(lang, Msg::SmsCodeTitle), body, false));
}

// The answer to a finished login of REQUEST: a session landing on the form's next page, the
// code page (PENDING_ID: the pending sign-in the code is typed for, empty: a new one), or the
// form with the reason.
awaitable<Response> after_login(
    Portal& portal,
    const Request& request,
    const Visit& visit,
    const auth::LoginResult& result,
    std::string_view user,
    std::string_view pending_id = {}
) {
    const auto next = next_of(request.form);
    if (result.account) {
        co_return co_await start_session(portal, *result.account, visit.lang, next);
    }
    if (result.applicant) {
        co_return to_signup(
            portal, SignupPass{result.applicant->employee_no, result.applicant->certificate}
        );
    }
    const auto reason = login_text(visit.lang, result.failure_text);
    if (result.code_requested && result.code_account) {
        if (!pending_id.empty()) {
            co_return code_page(visit, pending_id, reason, next);
        }
        const auto started = portal.pending_signins.start(*result.code_account);
        if (started) {
            co_return code_page(visit, *started, reason, next);
        }
        co_return signin_page(portal, visit, user, tr(visit.lang, Msg::TemporaryError), 503, next);
    }
    co_return signin_page(portal, visit, user, reason, result.temporary ? 503 : 401, next);
}

awaitable<Response> get_signin(Portal& portal, const Request& request, const Visit& visit) {
    co_return signin_page(portal, visit, {}, {}, 200, next_of(request.query));
}

awaitable<Response> post_signin(Portal& portal, const Request& request, const Visit& visit) {
    const auto user = field(request.form, "user");
    auto login = login_attempt(request, auth::Method::Password);
    login.user = co_await login_name(portal, user);
    login.secret = std::string(field(request.form, "password"));
    const auto result = co_await portal.authenticator.login(login);
    co_return co_await after_login(portal, request, visit, result, user);
}

// The code of a pending sign-in: taken out (single use) and put back only when another code
// may be typed.
awaitable<Response> post_code(Portal& portal, const Request& request, const Visit& visit) {
    const auto id = field(request.form, "pending");
    const auto pending = portal.pending_signins.take(id);
    if (!pending) {
        co_return signin_page(
            portal, visit, {}, tr(visit.lang, Msg::SignInExpired), 401, next_of(request.form)
        );
    }
    auto login = login_attempt(request, auth::Method::Password);
    login.secret = std::string(field(request.form, "code"));
    const auto result = co_await portal.authenticator.confirm_code(login, pending->account);
    if (result.code_requested && !portal.pending_signins.put_back(id, *pending)) {
        co_return signin_page(
            portal, visit, {}, tr(visit.lang, Msg::SignInExpired), 401, next_of(request.form)
        );
    }
    co_return co_await after_login(portal, request, visit, result, {}, id);
}

awaitable<Response> post_certificate(Portal& portal, const Request& request, const Visit& visit) {
    auto login = login_attempt(request, auth::Method::External);
    login.signup_by_page = true;
    const auto result = co_await portal.authenticator.login(login);
    co_return co_await after_login(portal, request, visit, result, {});
}

awaitable<Response> post_signout(Portal& portal, const Request& request, const Visit&) {
    co_return co_await end_session(portal, request);
}

awaitable<Response> get_home(Portal&, const Request&, const Visit& visit) {
    const auto lang = visit.lang;
    const auto& account = visit.session->account;
    const auto body = "<p>" + escape(tr(lang, Msg::SignedInAs)) + ": <strong id=\"account\">" +
                      escape(account.address) +
                      "</strong></p><ul><li><a id=\"link-app-passwords\" "
                      "href=\"/app-passwords\">" +
                      escape(tr(lang, Msg::AppPasswords)) +
                      "</a></li><li><a id=\"link-away\" href=\"/away\">" +
                      escape(tr(lang, Msg::Away)) + "</a></li></ul>";
    co_return html_response(page(lang, tr(lang, Msg::Home), body, true, visit.csrf_token));
}

}  // namespace

auth::LoginAttempt login_attempt(const Request& request, auth::Method method) {
    auto out = auth::connection_attempt(auth::Service::Portal, request.tls, request.peer);
    out.method = method;
    return out;
}

void add_signin_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", "/signin", Access::Public, get_signin);
    r.add("POST", "/signin", Access::Public, post_signin);
    r.add("POST", "/signin/code", Access::Public, post_code);
    r.add("POST", "/signin/certificate", Access::Public, post_certificate);
    r.add("POST", "/signout", Access::SignedIn, post_signout);
    r.add("GET", "/", Access::SignedIn, get_home);
}

}  // namespace govmail::portal
