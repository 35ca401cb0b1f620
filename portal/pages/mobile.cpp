// The mobile number change (SPEC "Self-service portal", "Authentication"): the new number
// gets an SMS code through the configured gateway, and only the right code, typed on the
// confirmation page, stores it as the number of the account's person (which ends every SMS
// trust, as the directory's triggers do for any number change). The code is the account's
// one pending SMS code, with the same lifetime, attempt limit and hourly sending limit as
// the sign-in codes; it is bound to the number it went to, so it confirms no other. Every
// step is audited.

#include <functional>

#include "auth/gpki_certificate.hpp"
#include "auth/secrets.hpp"
#include "auth/sms_code.hpp"
#include "auth/sms_gateway.hpp"
#include "common/hex.hpp"
#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/pages/page_parts.hpp"
#include "portal/pages/pages.hpp"
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

// Sends a code to NUMBER (the new one); false when the gateway did not take it.
awaitable<bool> send_code(
    Portal& portal,
    storage::AccountId account,
    const std::string& number,
    const std::string& code,
    const std::string& digest
) {
    const auto& sms = portal.config.auth.sms;
    const auto gateway = auth::make_sms_gateway(sms);
    bool sent = false;
    if (gateway) {
        auth::SmsMessage message{number, auth::sms_text(code, sms.code_lifetime)};
        sent = co_await gateway->send(std::move(message));
    }
    if (!sent) {
        (void)co_await storage::SmsStore(portal.pool).withdraw_code(account, digest);
    }
    co_return sent;
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
    const auto& sms = portal.config.auth.sms;
    const auto code = auth::generate_sms_code();
    const auto salt = auth::generate_code_salt();
    const auto digest = auth::sms_code_digest(salt, code);
    const storage::CodeUse use{storage::CodePurpose::NewNumber, *number};
    const auto issued = co_await store.issue_code(
        account, use, salt, digest, sms.code_lifetime, sms.max_attempts, sms.max_per_hour
    );
    if (!issued) {
        co_return temporary_error_page(visit, Msg::MobilePhone);
    }
    if (*issued == storage::CodeIssue::RateLimited) {
        co_await audit(portal, request, visit, "mobile.code_limit", ending_detail(*number));
        co_return co_await mobile_page(portal, visit, alert(tr(lang, Msg::MobileCodeLimit)), 429);
    }
    if (*issued == storage::CodeIssue::Issued) {
        const bool sent = co_await send_code(portal, account, *number, code, digest);
        if (!sent) {
            co_await audit(portal, request, visit, "mobile.code_unsent", ending_detail(*number));
            co_return temporary_error_page(visit, Msg::MobilePhone);
        }
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
    const auto code = std::string(field(request.form, "code"));
    // Named: g++ 12 destroys temporaries of a co_await expression twice.
    const std::function<bool(const storage::PendingCode&)> matches =
        [&code](const storage::PendingCode& pending) {
            return auth::same_digest(
                hex(auth::sms_code_digest(pending.salt, code)), pending.digest_hex
            );
        };
    const std::optional<storage::NewTrust> no_trust;  // a new number trusts no credential
    const storage::CodeUse use{storage::CodePurpose::NewNumber, *number};
    storage::SmsStore store(portal.pool);
    const auto redeemed = co_await store.redeem_code(
        account, use, portal.config.auth.sms.max_attempts, matches, no_trust
    );
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
    const auto stored = co_await store.set_mobile_phone(account, *number);
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
