#include "admin-cli/export_worker.hpp"

#include "admin-cli/export_archive.hpp"
#include "admin-cli/export_names.hpp"
#include "common/unix_time.hpp"
#include "mime/parse.hpp"
#include "selfservice/export_ready_mail.hpp"
#include "selfservice/export_token.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/account_state.hpp"
#include "storage/export_store.hpp"
#include "storage/mailstore.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

// The archive's folders and messages; a message-free error text otherwise.
std::variant<std::pair<std::vector<ArchiveFolder>, std::vector<ArchiveMessage>>, std::string>
plan_archive(AdminContext& context, const storage::ExportRecord& record) {
    storage::ExportStore store(context.pool());
    const auto boxes = context.run(store.mailboxes(record.account, record.mailboxes));
    if (!boxes) {
        return "mailboxes: " + boxes.error().message();
    }
    TakenNames taken{{"manifest.json"}, {}};
    std::vector<ArchiveFolder> folders;
    std::vector<ArchiveMessage> messages;
    for (const auto& box : *boxes) {
        folders.push_back(ArchiveFolder{box.name, export_folder(box.name, taken)});
        const auto listed = context.run(store.messages(record.account, box.id));
        if (!listed) {
            return "messages of " + box.name + ": " + listed.error().message();
        }
        for (const auto& m : *listed) {
            messages.push_back(ArchiveMessage{folders.size() - 1, m.uid, m.body_id, m.size});
        }
    }
    return std::pair{std::move(folders), std::move(messages)};
}

// Builds the claimed export; the archive's path and size, or why it failed.
std::variant<std::pair<std::string, std::int64_t>, std::string> build(
    AdminContext& context, const storage::ExportRecord& record
) {
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(record.address));
    if (!details) {
        return "account: " + details.error().message();
    }
    if (!storage::may_log_in(details->account.state)) {
        return std::string("the account is no longer active");
    }
    auto plan = plan_archive(context, record);
    if (auto* failed = std::get_if<std::string>(&plan)) {
        return *failed;
    }
    const auto& [folders, messages] =
        std::get<std::pair<std::vector<ArchiveFolder>, std::vector<ArchiveMessage>>>(plan);
    const auto dir = export_directory(context);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    const auto path = dir / (std::to_string(record.id) + ".zip");
    const Json header{
        {"format", "govmail-export-1"},
        {"account", record.address},
        {"export", record.id},
        {"created", iso_time(unix_now())}};
    storage::Mailstore mailstore(context.pool());
    const FetchBody fetch = [&](const std::string& body_id) -> std::optional<std::string> {
        auto raw = context.run(mailstore.fetch_raw(body_id));
        if (!raw) {
            return std::nullopt;
        }
        return std::move(*raw);
    };
    auto written = write_archive(path, header, folders, messages, fetch);
    if (auto* failed = std::get_if<std::string>(&written)) {
        return *failed;
    }
    return std::pair{path.string(), std::get<ArchiveSummary>(written).archive_bytes};
}

// The token of the link mailed when the archive is ready, or nothing when the portal's
// public address is not configured (no link could be written).
std::optional<std::string> mailed_token(const AdminContext& context) {
    if (context.config().portal.base_url.empty()) {
        return std::nullopt;
    }
    return selfservice::generate_export_token();
}

// Delivers the "backup ready" mail with TOKEN's link to RECORD's INBOX; what went wrong, or
// nothing.
std::optional<std::string> mail_ready_link(
    AdminContext& context, const storage::ExportRecord& record, const std::string& token
) {
    const auto now = unix_now();
    const auto raw = selfservice::export_ready_mail(selfservice::ExportReadyNotice{
        record.address, context.config().hostname, record.id,
        selfservice::export_link(context.config().portal.base_url, token), record.expires_at, now});
    const auto parsed = mime::parse(raw);
    const storage::DeliveryTarget target{record.account, "INBOX"};
    const storage::IncomingMessage incoming{raw, parsed, now, {}};
    auto delivered =
        context.run(storage::Mailstore(context.pool()).deliver(incoming, std::span(&target, 1)));
    if (!delivered) {
        return "ready mail: " + delivered.error().message();
    }
    return std::nullopt;
}

}  // namespace

std::filesystem::path export_directory(const AdminContext& context) {
    return context.config().var_dir / "exports";
}

std::variant<int, Outcome> remove_expired_exports(AdminContext& context) {
    const auto expired =
        context.run(storage::ExportStore(context.pool()).remove_expired([&](const auto& e) {
            return context.audit_entry(
                "export.expire", e.account, "export " + std::to_string(e.id)
            );
        }));
    if (!expired) {
        return storage_failure(expired.error(), "expired exports");
    }
    for (const auto& e : *expired) {
        if (e.file_path) {
            std::error_code ignored;
            std::filesystem::remove(*e.file_path, ignored);
        }
    }
    return static_cast<int>(expired->size());
}

std::variant<WorkerRound, Outcome> run_export_round(AdminContext& context) {
    WorkerRound round;
    auto expired = remove_expired_exports(context);
    if (auto* failed = std::get_if<Outcome>(&expired)) {
        return std::move(*failed);
    }
    round.expired = std::get<int>(expired);
    storage::ExportStore store(context.pool());
    while (true) {
        auto claim = context.run(store.claim());
        if (!claim) {
            if (claim.error() == make_error_code(storage::Errc::NotFound)) {
                return round;
            }
            return storage_failure(claim.error(), "pending exports");
        }
        const auto record = claim->record;
        auto built = build(context, record);
        std::optional<std::string> file;
        std::optional<std::int64_t> size;
        if (auto* ok = std::get_if<std::pair<std::string, std::int64_t>>(&built)) {
            file = ok->first;
            size = ok->second;
        } else {
            round.problems.push_back(
                "export " + std::to_string(record.id) + ": " + std::get<std::string>(built)
            );
        }
        const auto token = file ? mailed_token(context) : std::nullopt;
        const auto token_sha256 =
            token ? selfservice::export_token_hash(*token) : std::optional<std::string>{};
        const auto finished =
            context.run(storage::ExportStore::finish(std::move(*claim), file, size, token_sha256));
        if (!finished) {
            if (file) {
                std::error_code ignored;
                std::filesystem::remove(*file, ignored);
            }
            return storage_failure(finished.error(), "export " + std::to_string(record.id));
        }
        ++(file ? round.built : round.failed);
        if (token) {
            if (auto problem = mail_ready_link(context, record, *token)) {
                round.problems.push_back("export " + std::to_string(record.id) + ": " + *problem);
            }
        }
    }
}

}  // namespace govmail::admin
