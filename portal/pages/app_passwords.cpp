// App passwords (SPEC "Self-service portal"): a random secret per device for mail clients
// that cannot do the SMS code, shown once when created, listed with its last use, revocable.
// The use cases are selfservice/app_passwords.hpp's, as mailadm's.

#include "selfservice/app_passwords.hpp"

#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/pages/page_parts.hpp"
#include "portal/pages/pages.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

std::string listing(const std::vector<storage::AppPassword>& passwords, const Visit& visit) {
    const auto lang = visit.lang;
    std::string rows;
    for (const auto& p : passwords) {
        if (p.revoked_at) {
            continue;
        }
        const auto id = std::to_string(p.id);
        rows += "<tr id=\"app-password-" + id + "\"><td class=\"device\">" + escape(p.device) +
                "</td><td>" + escape(format_time(p.created_at, lang)) +
                "</td><td class=\"last-used\">" + escape(format_time(p.last_used_at, lang)) +
                "</td><td><form method=\"post\" action=\"/app-passwords/revoke\">" +
                csrf_field(visit.csrf_token) + "<input type=\"hidden\" name=\"id\" value=\"" + id +
                "\"><button id=\"revoke-" + id + "\" type=\"submit\">" +
                escape(tr(lang, Msg::Revoke)) + " " + escape(p.device) +
                "</button></form></td></tr>";
    }
    if (rows.empty()) {
        return "<p id=\"no-app-passwords\">" + escape(tr(lang, Msg::NoAppPasswords)) + "</p>";
    }
    return "<table id=\"app-passwords\"><tr><th>" + escape(tr(lang, Msg::DeviceName)) +
           "</th><th>" + escape(tr(lang, Msg::CreatedAt)) + "</th><th>" +
           escape(tr(lang, Msg::LastUsed)) + "</th><th></th></tr>" + rows + "</table>";
}

awaitable<Response> show(Portal& portal, const Visit& visit, std::string top, unsigned status) {
    const auto lang = visit.lang;
    const auto passwords =
        co_await portal.credentials.list_app_passwords(visit.session->account.id);
    if (!passwords) {
        co_return temporary_error_page(visit, Msg::AppPasswords);
    }
    const auto body =
        top + listing(*passwords, visit) +
        "<form id=\"create-form\" method=\"post\" action=\"/app-passwords\">" +
        csrf_field(visit.csrf_token) +
        input(
            "device", tr(lang, Msg::DeviceName), "text", {},
            "maxlength=\"" + std::to_string(selfservice::kMaxDeviceNameBytes) + "\" required"
        ) +
        "<button id=\"create-submit\" type=\"submit\">" + escape(tr(lang, Msg::Create)) +
        "</button></form>";
    co_return signed_in_page(visit, Msg::AppPasswords, body, status);
}

awaitable<Response> get_list(Portal& portal, const Request&, const Visit& visit) {
    co_return co_await show(portal, visit, {}, 200);
}

awaitable<Response> post_create(Portal& portal, const Request& request, const Visit& visit) {
    const auto lang = visit.lang;
    const auto device = std::string(field(request.form, "device"));
    if (selfservice::device_name_problem(device)) {
        co_return co_await show(portal, visit, alert(tr(lang, Msg::DeviceNameNeeded)), 400);
    }
    const auto created = co_await selfservice::create_app_password(
        portal.pool, actor(request, visit), visit.session->account.id, device
    );
    if (!created) {
        const bool taken = created.error() == storage::Errc::Exists;
        co_return co_await show(
            portal, visit, alert(tr(lang, taken ? Msg::DeviceNameTaken : Msg::TemporaryError)),
            taken ? 409 : 503
        );
    }
    const auto top = "<p role=\"status\">" + escape(tr(lang, Msg::SecretShownOnce)) +
                     " <code id=\"new-secret\">" + escape(created->secret) + "</code></p>";
    co_return co_await show(portal, visit, top, 200);
}

awaitable<Response> post_revoke(Portal& portal, const Request& request, const Visit& visit) {
    // Only the session's own account: another account's id is simply not found.
    if (const auto id = id_field(request.form, "id")) {
        const auto revoked = co_await selfservice::revoke_app_password(
            portal.pool, actor(request, visit), visit.session->account.id, *id
        );
        if (!revoked && revoked.error() != storage::Errc::NotFound) {
            co_return co_await show(portal, visit, alert(tr(visit.lang, Msg::TemporaryError)), 503);
        }
    }
    co_return redirect("/app-passwords");
}

}  // namespace

void add_app_password_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", "/app-passwords", Access::SignedIn, get_list);
    r.add("POST", "/app-passwords", Access::SignedIn, post_create);
    r.add("POST", "/app-passwords/revoke", Access::SignedIn, post_revoke);
}

}  // namespace govmail::portal
