// The mobile number change (SPEC "Self-service portal", "Authentication"): the new number
// gets an SMS code through the configured gateway, and only the right code, typed on the
// confirmation page, stores it as the number of the account's person (which ends every SMS
// trust, as the directory's triggers do for any number change). The code is the account's
// one pending SMS code, with the same lifetime, attempt limit and hourly sending limit as
// the sign-in codes; it is bound to the number it went to, so it confirms no other. Every
// step is audited.

#include "auth/sms_code.hpp"
#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/pages/page_parts.hpp"
#include "portal/pages/pages.hpp"
#include "portal/pages/sms_codes.hpp"
#include "storage/pg/errc.hpp"
#include "storage/sms_store.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

std::string number_form(const Visit& visit) {
    const auto lang = visit.lang;
    return "<form id=\"mobile-form\" method=\"post\" action=\"/mobile\">" +
           csrf_field(visit.csrf_token) +
           input(
               "mobile", tr(lang, Msg::NewMobile), "tel", {},
               "autocomplete=\"tel\" maxlength=\"20\" required"
           ) +
           "<button id=\"mobile-submit\" type=\"submit\">" + escape(tr(lang, Msg::SendCode)) +
           "</button></form>";
}

awaitable<Response> mobile_page(
    Portal& portal, const Visit& visit, std::string top, unsigned status
) {
    const auto lang = visit.lang;
    const auto recipient =
        co_await storage::SmsStore(portal.pool).recipient(visit.session->account.id);
    if (!recipient) {
        co_return temporary_error_page(visit, Msg::MobilePhone);
    }
    if (!recipient->person) {
        co_return signed_in_page(
            visit, Msg::MobilePhone, top + notice(tr(lang, Msg::MobileNotPerson)), status
        );
    }
    const auto body =
        top + "<p>" + escape(tr(lang, Msg::CurrentMobile)) + ": <strong id=\"current-mobile\">" +
        escape(recipient->mobile_phone.value_or(std::string(tr(lang, Msg::NoMobile)))) +
        "</strong></p>" + number_form(visit);
    co_return signed_in_page(visit, Msg::MobilePhone, body, status);
}

Response confirm_page(const Visit& visit, const std::string& number, std::string_view top) {
    const auto lang = visit.lang;
    const auto body = std::string(top) +
                      "<form id=\"mobile-code-form\" method=\"post\" action=\"/mobile/confirm\">" +
                      csrf_field(visit.csrf_token) +
                      "<input type=\"hidden\" name=\"mobile\" value=\"" + escape(number) + "\">" +
                      input(
                          "code", tr(lang, Msg::SmsCode), "text", {},
                          "inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" "
                          "autocomplete=\"one-time-code\" required"
                      ) +
                      "<button id=\"mobile-code-submit\" type=\"submit\">" +
                      escape(tr(lang, Msg::Verify)) + "</button></form>";
    return signed_in_page(visit, Msg::MobilePhone, body, 200);
}

std::string ending_detail(std::string_view number) {
    return "number ending " + std::string(auth::number_ending(number));
}

awaitable<Response> get_mobile(Portal& portal, const Request&, const Visit& visit) {
    co_return co_await mobile_page(portal, visit, {}, 200);
}

awaitable<Response> post_mobile(Portal& portal, const Request& request, const Visit& visit) {
    const auto lang = visit.lang;
    const auto account = visit.session->account.id;
    const auto number = auth::sms_number(field(request.form, "mobile"));
    if (!number) {
        co_return co_await mobile_page(portal, visit, alert(tr(lang, Msg::MobileInvalid)), 400);
    }
    storage::SmsStore store(portal.pool);
    const auto recipient = co_await store.recipient(account);
    if (!recipient) {
        co_return temporary_error_page(visit, Msg::MobilePhone);
    }
    if (!recipient->person) {
        co_return co_await mobile_page(portal, visit, {}, 400);
    }
    const storage::CodeUse use{storage::CodePurpose::NewNumber, *number};
    const auto sending = co_await send_sms_code(portal, account, use);
    if (sending == CodeSending::Failed) {
        co_return temporary_error_page(visit, Msg::MobilePhone);
    }
    if (sending == CodeSending::RateLimited) {
        co_await audit(portal, request, visit, "mobile.code_limit", ending_detail(*number));
        co_return co_await mobile_page(portal, visit, alert(tr(lang, Msg::MobileCodeLimit)), 429);
    }
    if (sending == CodeSending::Unsent) {
        co_await audit(portal, request, visit, "mobile.code_unsent", ending_detail(*number));
        co_return temporary_error_page(visit, Msg::MobilePhone);
    }
    if (sending == CodeSending::Sent) {
        co_await audit(portal, request, visit, "mobile.code_sent", ending_detail(*number));
    }
    co_return confirm_page(visit, *number, notice(tr(lang, Msg::MobileCodeSent)));
}

awaitable<Response> post_confirm(Portal& portal, const Request& request, const Visit& visit) {
    const auto lang = visit.lang;
    const auto account = visit.session->account.id;
    const auto number = auth::sms_number(field(request.form, "mobile"));
    if (!number) {
        co_return co_await mobile_page(portal, visit, alert(tr(lang, Msg::MobileInvalid)), 400);
    }
    const storage::CodeUse use{storage::CodePurpose::NewNumber, *number};
    const auto redeemed =
        co_await redeem_sms_code(portal, account, use, std::string(field(request.form, "code")));
    if (!redeemed) {
        co_return temporary_error_page(visit, Msg::MobilePhone);
    }
    if (redeemed->outcome == storage::CodeRedemption::Wrong) {
        co_await audit(portal, request, visit, "mobile.code_wrong", ending_detail(*number));
        auto again = confirm_page(visit, *number, alert(tr(lang, Msg::MobileCodeWrong)));
        again.status = 400;
        co_return again;
    }
    if (redeemed->outcome != storage::CodeRedemption::Redeemed) {  // void, expired or none
        co_await audit(portal, request, visit, "mobile.code_wrong", ending_detail(*number));
        co_return co_await mobile_page(portal, visit, alert(tr(lang, Msg::MobileCodeWrong)), 400);
    }
    const auto stored = co_await storage::SmsStore(portal.pool).set_mobile_phone(account, *number);
    if (!stored) {
        if (stored.error() == storage::Errc::NotFound) {
            co_return co_await mobile_page(portal, visit, {}, 400);
        }
        co_return temporary_error_page(visit, Msg::MobilePhone);
    }
    co_await audit(portal, request, visit, "mobile.change", ending_detail(*number));
    co_return co_await mobile_page(portal, visit, notice(tr(lang, Msg::MobileChanged)), 200);
}

}  // namespace

void add_mobile_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", "/mobile", Access::SignedIn, get_mobile);
    r.add("POST", "/mobile", Access::SignedIn, post_mobile);
    r.add("POST", "/mobile/confirm", Access::SignedIn, post_confirm);
}

}  // namespace govmail::portal
