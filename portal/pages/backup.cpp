// Mailbox backups (SPEC "Export", "Self-service portal"): the user chooses mailboxes or all of
// them, the export worker (`mailadm export run`, the launcher's exporter) builds the zip
// archive in the background while the list page reloads itself, then the archive is
// downloaded from the worker's file, streamed, until its link expires or the user deletes it
// (final). The link the worker mails (selfservice/export_ready_mail.hpp) downloads without a
// session: its 256-bit token is the credential, as `mailadm export fetch`'s is. Requests,
// downloads and deletions are audited as mailadm's are. Another account's export is answered
// exactly like one that does not exist, so export ids cannot be probed.

#include <algorithm>
#include <filesystem>

#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/pages/page_parts.hpp"
#include "portal/pages/pages.hpp"
#include "selfservice/export_ready_mail.hpp"
#include "selfservice/export_token.hpp"
#include "selfservice/exports.hpp"
#include "storage/export_store.hpp"
#include "storage/mailstore.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

constexpr std::string_view kReloadSeconds = "10";

bool in_progress(const storage::ExportRecord& e) {
    return !e.expired && (e.state == "pending" || e.state == "building");
}

bool downloadable(const storage::ExportRecord& e) {
    return !e.expired && e.state == "ready" && e.file_path.has_value();
}

Msg state_text(const storage::ExportRecord& e) {
    if (e.expired) {
        return Msg::BackupExpired;
    }
    if (e.state == "ready") {
        return Msg::BackupReady;
    }
    if (e.state == "failed") {
        return Msg::BackupFailed;
    }
    return e.state == "building" ? Msg::BackupBuilding : Msg::BackupPending;
}

std::string size_text(std::optional<std::int64_t> bytes) {
    if (!bytes) {
        return {};
    }
    constexpr std::int64_t kMiB = 1024 * 1024;
    if (*bytes < kMiB) {
        return std::to_string((*bytes + 1023) / 1024) + " KiB";
    }
    return std::to_string((*bytes + kMiB - 1) / kMiB) + " MiB";
}

std::string mailboxes_text(const storage::ExportRecord& e, Lang lang) {
    if (!e.mailboxes) {
        return std::string(tr(lang, Msg::BackupAllMailboxes));
    }
    std::string out;
    for (const auto& name : *e.mailboxes) {
        out += (out.empty() ? "" : ", ") + folder_display_name(lang, name);
    }
    return out;
}

std::string export_row(const storage::ExportRecord& e, const Visit& visit) {
    const auto lang = visit.lang;
    const auto id = std::to_string(e.id);
    std::string actions;
    if (downloadable(e)) {
        actions += "<a id=\"download-" + id + "\" href=\"/backup/download?id=" + id + "\">" +
                   escape(tr(lang, Msg::BackupDownload)) + "</a> ";
    }
    actions += "<form method=\"post\" action=\"/backup/delete\">" + csrf_field(visit.csrf_token) +
               "<input type=\"hidden\" name=\"id\" value=\"" + id + "\"><button id=\"delete-" + id +
               "\" type=\"submit\">" + escape(tr(lang, Msg::BackupDelete)) + "</button></form>";
    return "<tr id=\"backup-" + id + "\"><td>" + escape(mailboxes_text(e, lang)) + "</td><td>" +
           escape(format_time(e.created_at, lang)) + "</td><td class=\"state\">" +
           escape(tr(lang, state_text(e))) + "</td><td>" + escape(size_text(e.size)) +
           "</td><td class=\"expires\">" + escape(format_time(e.expires_at, lang)) + "</td><td>" +
           actions + "</td></tr>";
}

std::string export_table(const std::vector<storage::ExportRecord>& exports, const Visit& visit) {
    const auto lang = visit.lang;
    std::string out = "<h2>" + escape(tr(lang, Msg::BackupList)) + "</h2>";
    if (exports.empty()) {
        return out + "<p id=\"no-backups\">" + escape(tr(lang, Msg::NoBackups)) + "</p>";
    }
    out += "<table id=\"backups\"><tr>";
    for (const auto heading :
         {Msg::BackupMailboxes, Msg::CreatedAt, Msg::BackupState, Msg::BackupSize,
          Msg::BackupExpires}) {
        out += "<th>" + escape(tr(lang, heading)) + "</th>";
    }
    out += "<th></th></tr>";
    for (const auto& e : exports) {
        out += export_row(e, visit);
    }
    return out + "</table>";
}

std::string request_form(const std::vector<storage::ExportMailbox>& mailboxes, const Visit& visit) {
    const auto lang = visit.lang;
    std::string boxes =
        "<label><input id=\"all-mailboxes\" type=\"checkbox\" name=\"all\" "
        "value=\"1\"> " +
        escape(tr(lang, Msg::BackupAllMailboxes)) + "</label>";
    for (const auto& m : mailboxes) {
        boxes += "<label><input type=\"checkbox\" name=\"mailbox\" value=\"" + escape(m.name) +
                 "\"> " + escape(folder_display_name(lang, m.name)) + "</label>";
    }
    return "<form id=\"backup-form\" method=\"post\" action=\"/backup\">" +
           csrf_field(visit.csrf_token) + "<fieldset><legend>" +
           escape(tr(lang, Msg::BackupChoose)) + "</legend>" + boxes +
           "</fieldset><button id=\"backup-submit\" type=\"submit\">" +
           escape(tr(lang, Msg::BackupRequest)) + "</button></form>";
}

awaitable<Response> show(Portal& portal, const Visit& visit, std::string top, unsigned status) {
    const auto account = visit.session->account.id;
    storage::ExportStore store(portal.pool);
    const auto exports = co_await store.list(account);
    const std::optional<std::vector<std::string>> every_mailbox;
    const auto mailboxes = co_await store.mailboxes(account, every_mailbox);
    if (!exports || !mailboxes) {
        co_return temporary_error_page(visit, Msg::Backup);
    }
    const bool building = std::any_of(exports->begin(), exports->end(), in_progress);
    if (building) {
        top += notice(tr(visit.lang, Msg::BackupInProgress));
    }
    auto out = signed_in_page(
        visit, Msg::Backup, top + request_form(*mailboxes, visit) + export_table(*exports, visit),
        status
    );
    if (building) {
        out.headers.emplace_back("Refresh", std::string(kReloadSeconds));
    }
    co_return out;
}

// The export ID of the session's account, or nothing (none, or another account's).
awaitable<Result<std::optional<storage::ExportRecord>>> own_export(
    Portal& portal, const Visit& visit, std::optional<std::int64_t> id
) {
    if (!id) {
        co_return std::nullopt;
    }
    auto exports = co_await storage::ExportStore(portal.pool).list(visit.session->account.id);
    if (!exports) {
        co_return exports.error();
    }
    const auto found =
        std::find_if(exports->begin(), exports->end(), [&](const auto& e) { return e.id == *id; });
    if (found == exports->end()) {
        co_return std::nullopt;
    }
    co_return std::move(*found);
}

Response not_found(const Visit& visit) {
    return signed_in_page(visit, Msg::NotFound, alert(tr(visit.lang, Msg::NotFound)), 404);
}

awaitable<Response> get_backup(Portal& portal, const Request&, const Visit& visit) {
    co_return co_await show(portal, visit, {}, 200);
}

// Queues an export of MAILBOXES (all when none) and shows the list.
awaitable<Response> queue_export(
    Portal& portal,
    const Request& request,
    const Visit& visit,
    std::optional<std::vector<std::string>> mailboxes
) {
    // The link token is not shown: the portal's links are the session's, by export id.
    const auto created = co_await selfservice::request_export(
        portal.pool, actor(request, visit), visit.session->account.id, std::move(mailboxes)
    );
    if (!created) {
        co_return temporary_error_page(visit, Msg::Backup);
    }
    co_return redirect("/backup");
}

awaitable<Response> post_request(Portal& portal, const Request& request, const Visit& visit) {
    const auto lang = visit.lang;
    const auto account = visit.session->account.id;
    if (field(request.form, "all") == "1") {
        co_return co_await queue_export(portal, request, visit, std::nullopt);
    }
    auto chosen = decode_form_all(request.body, "mailbox");
    if (chosen.empty()) {
        co_return co_await show(portal, visit, alert(tr(lang, Msg::BackupNoneChosen)), 400);
    }
    const auto unknown = co_await selfservice::unknown_mailbox(portal.pool, account, chosen);
    if (!unknown) {
        co_return temporary_error_page(visit, Msg::Backup);
    }
    if (*unknown) {  // a name the account has no mailbox for
        co_return co_await show(portal, visit, alert(tr(lang, Msg::BackupNoneChosen)), 400);
    }
    co_return co_await queue_export(portal, request, visit, std::move(chosen));
}

// The archive of E as a download.
Response archive_download(const storage::ExportRecord& e) {
    Response out;
    out.content_type = "application/zip";
    out.file = *e.file_path;
    out.headers.emplace_back(
        "Content-Disposition",
        "attachment; filename=\"govmail-backup-" + std::to_string(e.id) + ".zip\""
    );
    return out;
}

// Whether export E's account is active: a suspended or retired account's archive is not
// handed out, as `mailadm export fetch` refuses it.
awaitable<Result<bool>> owner_active(Portal& portal, const storage::ExportRecord& e) {
    const auto owner = co_await storage::Mailstore(portal.pool).find_account(e.account);
    if (!owner) {
        if (owner.error() == storage::Errc::NotFound) {
            co_return false;
        }
        co_return Result<bool>(boost::system::in_place_error, owner.error());
    }
    co_return owner->state == storage::AccountState::Active;
}

// The mailed link (or the one `mailadm export request` printed): the token alone opens the
// archive it names, until it expires. A token that names nothing downloadable gets the same
// 404 as a malformed one.
awaitable<Response> get_link(Portal& portal, const Request& request, const Visit& visit) {
    const auto refusal = [&visit](Msg message, unsigned status) {
        const auto text = tr(visit.lang, message);
        return html_response(page(visit.lang, text, alert(text), false), status);
    };
    const auto missing = [&refusal] { return refusal(Msg::NotFound, 404); };
    const auto hash = selfservice::export_token_hash(field(request.query, "token"));
    if (!hash) {
        co_return missing();
    }
    const auto found = co_await storage::ExportStore(portal.pool).find_by_token(*hash);
    if (!found) {
        if (found.error() == storage::Errc::NotFound) {
            co_return missing();
        }
        co_return refusal(Msg::TemporaryError, 503);
    }
    if (!downloadable(*found)) {
        co_return missing();
    }
    const auto active = co_await owner_active(portal, *found);
    if (!active) {
        co_return refusal(Msg::TemporaryError, 503);
    }
    if (!*active) {
        co_return missing();
    }
    co_await audit_visitor(
        portal, request, found->address, found->account, "export.fetch",
        "export " + std::to_string(found->id) + " by link"
    );
    co_return archive_download(*found);
}

awaitable<Response> get_download(Portal& portal, const Request& request, const Visit& visit) {
    const auto found = co_await own_export(portal, visit, id_field(request.query, "id"));
    if (!found) {
        co_return temporary_error_page(visit, Msg::Backup);
    }
    if (!*found || !downloadable(**found)) {
        co_return not_found(visit);
    }
    const auto& e = **found;
    co_await audit(portal, request, visit, "export.fetch", "export " + std::to_string(e.id));
    co_return archive_download(e);
}

awaitable<Response> post_delete(Portal& portal, const Request& request, const Visit& visit) {
    const auto found = co_await own_export(portal, visit, id_field(request.form, "id"));
    if (!found) {
        co_return temporary_error_page(visit, Msg::Backup);
    }
    if (!*found) {
        co_return not_found(visit);
    }
    const auto removed =
        co_await selfservice::delete_export(portal.pool, actor(request, visit), (*found)->id);
    if (!removed) {
        if (removed.error() == storage::Errc::NotFound) {  // deleted meanwhile
            co_return not_found(visit);
        }
        co_return temporary_error_page(visit, Msg::Backup);
    }
    if (removed->file_path) {
        std::error_code ignored;
        std::filesystem::remove(*removed->file_path, ignored);
    }
    co_return redirect("/backup");
}

}  // namespace

void add_backup_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", "/backup", Access::SignedIn, get_backup);
    r.add("POST", "/backup", Access::SignedIn, post_request);
    r.add("GET", "/backup/download", Access::SignedIn, get_download);
    r.add("POST", "/backup/delete", Access::SignedIn, post_delete);
    r.add("GET", std::string(selfservice::kExportLinkPath), Access::Public, get_link);
}

}  // namespace govmail::portal
