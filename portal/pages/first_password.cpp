#include "portal/pages/first_password.hpp"

#include "auth/sms_code.hpp"
#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/pages/page_parts.hpp"
#include "portal/pages/sms_codes.hpp"
#include "selfservice/password.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

Response code_and_password_page(const Visit& visit, std::string_view top, unsigned status) {
    const auto lang = visit.lang;
    const auto attributes = "autocomplete=\"new-password\" minlength=\"8\" required";
    const auto body =
        std::string(top) +
        "<form id=\"first-password-form\" method=\"post\" action=\"/password/first\">" +
        csrf_field(visit.csrf_token) +
        input(
            "code", tr(lang, Msg::SmsCode), "text", {},
            "inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" "
            "autocomplete=\"one-time-code\" required"
        ) +
        input("new", tr(lang, Msg::NewPassword), "password", {}, attributes) +
        input("again", tr(lang, Msg::NewPasswordAgain), "password", {}, attributes) +
        "<button id=\"first-password-submit\" type=\"submit\">" +
        escape(tr(lang, Msg::FirstPassword)) + "</button></form>";
    return signed_in_page(visit, Msg::FirstPassword, body, status);
}

// What stands in the way of a first password for VISIT's account: nothing (and the
// directory's number to send the code to), or the page to answer with.
struct Prospect {
    std::optional<std::string> number;
    std::optional<Response> answer;
};

awaitable<Prospect> prospect(Portal& portal, const Visit& visit) {
    const auto account = visit.session->account.id;
    const auto phc = co_await portal.credentials.password_hash(account);
    const auto recipient = co_await storage::SmsStore(portal.pool).recipient(account);
    if (!phc || !recipient) {
        co_return Prospect{{}, temporary_error_page(visit, Msg::FirstPassword)};
    }
    if (*phc) {  // it has one: the change asks for it
        co_return Prospect{{}, redirect("/password")};
    }
    const auto number = recipient->person && recipient->directory_mobile_phone
                            ? auth::sms_number(*recipient->directory_mobile_phone)
                            : std::nullopt;
    if (!number) {
        co_return Prospect{
            {}, first_password_page(visit, alert(tr(visit.lang, Msg::FirstPasswordNoMobile)), 400)};
    }
    co_return Prospect{number, {}};
}

std::string ending_detail(std::string_view number) {
    return "directory number ending " + std::string(auth::number_ending(number));
}

awaitable<Response> post_first_code(Portal& portal, const Request& request, const Visit& visit) {
    const auto lang = visit.lang;
    auto found = co_await prospect(portal, visit);
    if (found.answer) {
        co_return std::move(*found.answer);
    }
    const storage::CodeUse use{storage::CodePurpose::FirstPassword, *found.number};
    const auto detail = ending_detail(*found.number);
    const auto sending = co_await send_sms_code(portal, visit.session->account.id, use);
    switch (sending) {
        case CodeSending::Failed:
            co_return temporary_error_page(visit, Msg::FirstPassword);
        case CodeSending::RateLimited:
            co_await audit(portal, request, visit, "password.first_code_limit", detail);
            co_return first_password_page(visit, alert(tr(lang, Msg::MobileCodeLimit)), 429);
        case CodeSending::Unsent:
            co_await audit(portal, request, visit, "password.first_code_unsent", detail);
            co_return temporary_error_page(visit, Msg::FirstPassword);
        case CodeSending::Sent:
            co_await audit(portal, request, visit, "password.first_code_sent", detail);
            break;
        case CodeSending::Pending:
            break;
    }
    co_return code_and_password_page(visit, notice(tr(lang, Msg::FirstPasswordCodeSent)), 200);
}

awaitable<Response> post_first(Portal& portal, const Request& request, const Visit& visit) {
    const auto lang = visit.lang;
    auto found = co_await prospect(portal, visit);
    if (found.answer) {
        co_return std::move(*found.answer);
    }
    const auto fresh = std::string(field(request.form, "new"));
    if (fresh != field(request.form, "again")) {
        co_return code_and_password_page(visit, alert(tr(lang, Msg::PasswordsDiffer)), 400);
    }
    if (selfservice::password_problem(fresh)) {
        co_return code_and_password_page(visit, alert(tr(lang, Msg::PasswordPolicy)), 400);
    }
    const auto account = visit.session->account.id;
    const storage::CodeUse use{storage::CodePurpose::FirstPassword, *found.number};
    const auto detail = ending_detail(*found.number);
    const auto redeemed =
        co_await redeem_sms_code(portal, account, use, std::string(field(request.form, "code")));
    if (!redeemed) {
        co_return temporary_error_page(visit, Msg::FirstPassword);
    }
    if (redeemed->outcome != storage::CodeRedemption::Redeemed) {
        co_await audit(portal, request, visit, "password.first_code_wrong", detail);
        const auto wrong = alert(tr(lang, Msg::MobileCodeWrong));
        co_return redeemed->outcome == storage::CodeRedemption::Wrong
            ? code_and_password_page(visit, wrong, 400)
            : first_password_page(visit, wrong, 400);  // void, expired or none: a new code
    }
    const auto phc = co_await portal.authenticator.hash_password(fresh);
    const auto stored = co_await selfservice::store_password(
        portal.pool, actor(request, visit), account, phc, selfservice::PasswordSetter::Owner,
        "first password, confirmed by SMS to the " + detail
    );
    if (!stored) {
        co_return temporary_error_page(visit, Msg::FirstPassword);
    }
    co_return signed_in_page(
        visit, Msg::ChangePassword, notice(tr(lang, Msg::FirstPasswordSet)), 200
    );
}

}  // namespace

Response first_password_page(const Visit& visit, std::string_view top, unsigned status) {
    const auto lang = visit.lang;
    const auto body =
        std::string(top) + "<p id=\"first-password-intro\">" +
        escape(tr(lang, Msg::FirstPasswordIntro)) +
        "</p><form id=\"first-code-form\" method=\"post\" action=\"/password/first/code\">" +
        csrf_field(visit.csrf_token) + "<button id=\"first-code-submit\" type=\"submit\">" +
        escape(tr(lang, Msg::SendCode)) + "</button></form>";
    return signed_in_page(visit, Msg::FirstPassword, body, status);
}

void add_first_password_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("POST", "/password/first/code", Access::SignedIn, post_first_code);
    r.add("POST", "/password/first", Access::SignedIn, post_first);
}

}  // namespace govmail::portal
