// The away message (SPEC "Self-service portal"): subject, body, first and last day, scope,
// the reply interval (Sieve vacation :days), on or off: the same setting `mailadm autoreply`
// and ManageSieve's vacation manage, checked by the same rules (rules/autoreply_rules.hpp).
// A form without the interval keeps the one stored.

#include "selfservice/away.hpp"

#include <algorithm>

#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/pages/page_parts.hpp"
#include "portal/pages/pages.hpp"
#include "rules/autoreply_rules.hpp"
#include "storage/autoreply_store.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

std::string scope_option(
    storage::AutoReplyScope value, storage::AutoReplyScope chosen, std::string_view label
) {
    return "<option value=\"" + std::string(storage::to_string(value)) + "\"" +
           (value == chosen ? " selected" : "") + ">" + escape(label) + "</option>";
}

std::string away_form(const storage::AutoReplySetting& s, const Visit& visit) {
    const auto lang = visit.lang;
    return "<p id=\"away-state\">" + escape(tr(lang, s.enabled ? Msg::AwayIsOn : Msg::AwayIsOff)) +
           "</p><form id=\"away-form\" method=\"post\" action=\"/away\">" +
           csrf_field(visit.csrf_token) +
           input("subject", tr(lang, Msg::AwaySubject), "text", s.subject, "maxlength=\"200\"") +
           "<label for=\"body\">" + escape(tr(lang, Msg::AwayBody)) +
           "</label><textarea id=\"body\" name=\"body\" rows=\"6\" required>" + escape(s.body) +
           "</textarea>" +
           input("start", tr(lang, Msg::AwayStart), "date", s.starts_on.value_or("")) +
           input("end", tr(lang, Msg::AwayEnd), "date", s.ends_on.value_or("")) +
           "<label for=\"scope\">" + escape(tr(lang, Msg::AwayScope)) +
           "</label><select id=\"scope\" name=\"scope\">" +
           scope_option(storage::AutoReplyScope::All, s.scope, tr(lang, Msg::AwayScopeAll)) +
           scope_option(
               storage::AutoReplyScope::Organisation, s.scope, tr(lang, Msg::AwayScopeOrganisation)
           ) +
           "</select>" +
           input(
               "days", tr(lang, Msg::AwayDays), "number", std::to_string(s.period_days),
               "min=\"1\" max=\"" + std::to_string(rules::kMaxAutoReplyDays) + "\" required"
           ) +
           "<button id=\"away-submit\" type=\"submit\">" + escape(tr(lang, Msg::AwaySave)) +
           "</button></form>" +
           (s.enabled
                ? "<form id=\"away-off-form\" method=\"post\" action=\"/away/off\">" +
                      csrf_field(visit.csrf_token) + "<button id=\"away-off\" type=\"submit\">" +
                      escape(tr(lang, Msg::AwayTurnOff)) + "</button></form>"
                : std::string{});
}

Response away_page(
    const storage::AutoReplySetting& s, const Visit& visit, std::string top, unsigned status
) {
    return signed_in_page(visit, Msg::Away, top + away_form(s, visit), status);
}

awaitable<Response> get_away(Portal& portal, const Request&, const Visit& visit) {
    auto found = co_await storage::AutoReplyStore(portal.pool).find(visit.session->account.id);
    if (!found && found.error() != storage::Errc::NotFound) {
        co_return away_page({}, visit, alert(tr(visit.lang, Msg::TemporaryError)), 503);
    }
    co_return away_page(found ? *found : storage::AutoReplySetting{}, visit, {}, 200);
}

std::optional<std::string> optional_field(const Fields& form, std::string_view name) {
    const auto value = field(form, name);
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

// The interval the form gives, 0 when it is not a number (refused by the rules), or the
// stored one when the form has none.
awaitable<Result<int>> period_days(Portal& portal, const Fields& form, storage::AccountId account) {
    if (const auto days = id_field(form, "days")) {
        co_return static_cast<int>(std::min<std::int64_t>(*days, rules::kMaxAutoReplyDays + 1));
    }
    if (!field(form, "days").empty()) {
        co_return 0;
    }
    auto stored = co_await storage::AutoReplyStore(portal.pool).find(account);
    if (!stored) {
        if (stored.error() == storage::Errc::NotFound) {
            co_return storage::kDefaultAutoReplyDays;
        }
        co_return stored.error();
    }
    co_return stored->period_days;
}

awaitable<Response> post_away(Portal& portal, const Request& request, const Visit& visit) {
    storage::AutoReplySetting s;
    s.account = visit.session->account.id;
    s.enabled = true;
    s.subject = std::string(field(request.form, "subject"));
    s.body = std::string(field(request.form, "body"));
    s.starts_on = optional_field(request.form, "start");
    s.ends_on = optional_field(request.form, "end");
    s.scope = storage::parse_autoreply_scope(field(request.form, "scope"))
                  .value_or(storage::AutoReplyScope::All);
    const auto days = co_await period_days(portal, request.form, s.account);
    if (!days) {
        co_return away_page(s, visit, alert(tr(visit.lang, Msg::TemporaryError)), 503);
    }
    s.period_days = *days;
    if (const auto problem = rules::autoreply_setting_problem(s)) {
        s.enabled = false;
        co_return away_page(s, visit, alert(*problem), 400);
    }
    const auto stored = co_await selfservice::set_away(portal.pool, actor(request, visit), s);
    if (!stored) {
        co_return away_page(s, visit, alert(tr(visit.lang, Msg::TemporaryError)), 503);
    }
    co_return away_page(s, visit, notice(tr(visit.lang, Msg::AwaySaved)), 200);
}

awaitable<Response> post_off(Portal& portal, const Request& request, const Visit& visit) {
    const auto off = co_await selfservice::switch_away_off(
        portal.pool, actor(request, visit), visit.session->account.id
    );
    if (!off) {
        co_return temporary_error_page(visit, Msg::Away);
    }
    co_return redirect("/away");
}

}  // namespace

void add_away_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", "/away", Access::SignedIn, get_away);
    r.add("POST", "/away", Access::SignedIn, post_away);
    r.add("POST", "/away/off", Access::SignedIn, post_off);
}

}  // namespace govmail::portal
