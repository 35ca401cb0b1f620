// mailadm export request|list|delete|fetch|run|cleanup: mailbox backups as zip archives
// reachable by a download link (SPEC "Export"): here with `fetch` for the account it belongs
// to, or at the portal's /backup/link?token=... The link's token is shown once and stored
// only as its SHA-256; it works for 30 days and never after deletion. Requests, fetches and
// deletions are audited; exports of accounts that are not active are refused.

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "admin-cli/commands.hpp"
#include "admin-cli/export_worker.hpp"
#include "selfservice/export_token.hpp"
#include "selfservice/exports.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/account_state.hpp"
#include "storage/export_store.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

struct RequestOptions {
    std::string address;
    std::vector<std::string> mailboxes;
};

struct ListOptions {
    std::string address;
};

struct DeleteOptions {
    std::int64_t id = 0;
};

struct FetchOptions {
    std::string token;
    std::string address;
    std::string output;
};

struct RunOptions {
    int interval = 0;
};

struct NoOptions {};

Json export_json(const storage::ExportRecord& e) {
    return Json{
        {"id", e.id},
        {"account", e.address},
        {"mailboxes", e.mailboxes ? Json(*e.mailboxes) : Json("all")},
        {"state", e.expired ? "expired" : e.state},
        {"size", e.size ? Json(*e.size) : Json(nullptr)},
        {"created", iso_time(e.created_at)},
        {"expires", iso_time(e.expires_at)}};
}

// The account named ADDRESS when it may log in (an export hands its mail to its owner); a
// refusal otherwise.
std::variant<storage::AccountDetails, Outcome> active_account(
    AdminContext& context, const std::string& address
) {
    auto details = context.run(storage::AccountAdminStore(context.pool()).details(address));
    if (!details) {
        return storage_failure(details.error(), "account " + address);
    }
    if (!storage::may_log_in(details->account.state)) {
        return refused("account " + details->account.address + " is not active; no exports");
    }
    return std::move(*details);
}

Outcome request(AdminContext& context, const RequestOptions& options) {
    auto account = active_account(context, options.address);
    if (auto* failed = std::get_if<Outcome>(&account)) {
        return *failed;
    }
    const auto& details = std::get<storage::AccountDetails>(account);
    std::optional<std::vector<std::string>> names;
    if (!options.mailboxes.empty()) {
        names = options.mailboxes;
        const auto unknown = context.run(
            selfservice::unknown_mailbox(context.pool(), details.account.id, options.mailboxes)
        );
        if (!unknown) {
            return storage_failure(unknown.error(), "mailboxes of " + details.account.address);
        }
        if (*unknown) {
            return refused("account " + details.account.address + " has no mailbox " + **unknown);
        }
    }
    const auto created = context.run(selfservice::request_export(
        context.pool(), context.audit_actor(), details.account.id, names
    ));
    if (!created) {
        return storage_failure(created.error(), "export of " + details.account.address);
    }
    auto data = export_json(created->record);
    data["token"] = created->token;
    return Outcome{
        ExitCode::Ok,
        "export " + std::to_string(created->record.id) + " of " + details.account.address +
            " queued; link token (shown once): " + created->token,
        data};
}

Outcome list(AdminContext& context, const ListOptions& options) {
    std::optional<storage::AccountId> account;
    if (!options.address.empty()) {
        const auto details =
            context.run(storage::AccountAdminStore(context.pool()).details(options.address));
        if (!details) {
            return storage_failure(details.error(), "account " + options.address);
        }
        account = details->account.id;
    }
    const auto exports = context.run(storage::ExportStore(context.pool()).list(account));
    if (!exports) {
        return storage_failure(exports.error(), "exports");
    }
    Json rows = Json::array();
    for (const auto& e : *exports) {
        rows.push_back(export_json(e));
    }
    return Outcome{ExitCode::Ok, std::to_string(exports->size()) + " export(s)", rows};
}

Outcome remove(AdminContext& context, const DeleteOptions& options) {
    const auto removed =
        context.run(selfservice::delete_export(context.pool(), context.audit_actor(), options.id));
    if (!removed) {
        return storage_failure(removed.error(), "export " + std::to_string(options.id));
    }
    if (removed->file_path) {
        std::error_code ignored;
        std::filesystem::remove(*removed->file_path, ignored);
    }
    return Outcome{
        ExitCode::Ok, "export " + std::to_string(removed->id) + " deleted",
        Json{{"id", removed->id}, {"account", removed->address}, {"deleted", true}}};
}

Outcome fetch(AdminContext& context, const FetchOptions& options) {
    const auto hash = selfservice::export_token_hash(options.token);
    if (!hash) {
        return usage_error("the token is not an export link token (64 hex digits)");
    }
    auto account = active_account(context, options.address);
    if (auto* failed = std::get_if<Outcome>(&account)) {
        return *failed;
    }
    const auto& details = std::get<storage::AccountDetails>(account);
    const auto found = context.run(storage::ExportStore(context.pool()).find_by_token(*hash));
    // Another account's link is answered like an unknown one.
    if (!found && found.error() != make_error_code(storage::Errc::NotFound)) {
        return storage_failure(found.error(), "export link");
    }
    if (!found || found->account != details.account.id) {
        (void)context.audit("export.fetch", details.account.id, "refused: unknown link");
        return refused("no such export link for " + details.account.address);
    }
    const auto id = "export " + std::to_string(found->id);
    if (found->expired) {
        (void)context.audit("export.fetch", details.account.id, id + " refused: expired");
        return refused(id + " has expired");
    }
    if (found->state != "ready" || !found->file_path) {
        (void)context.audit("export.fetch", details.account.id, id + " refused: " + found->state);
        return refused(id + " is " + found->state + ", not ready");
    }
    std::error_code ec;
    std::filesystem::copy_file(
        *found->file_path, options.output, std::filesystem::copy_options::overwrite_existing, ec
    );
    if (ec) {
        return Outcome{ExitCode::Error, "cannot copy " + id + ": " + ec.message(), {}};
    }
    if (auto audited = context.audit("export.fetch", details.account.id, id); !audited) {
        return storage_failure(audited.error(), "audit log");
    }
    return Outcome{
        ExitCode::Ok, id + " written to " + options.output,
        Json{{"id", found->id}, {"output", options.output}, {"size", found->size.value_or(0)}}};
}

std::string problems_text(const WorkerRound& round) {
    std::string out;
    for (const auto& problem : round.problems) {
        out += "\n" + problem;
    }
    return out;
}

// Once: the round's outcome. With an interval the worker stays up: a failed round (the
// database is down or restarting) is reported on standard error and the next round tries
// again, so requested exports are built once the database is back.
Outcome run(AdminContext& context, const RunOptions& options) {
    while (true) {
        auto round = run_export_round(context);
        auto* failed = std::get_if<Outcome>(&round);
        if (failed != nullptr && options.interval == 0) {
            return *failed;
        }
        if (failed != nullptr) {
            std::cerr << "export round failed: " << failed->message << "; next round in "
                      << options.interval << " s" << std::endl;
        } else if (options.interval == 0) {
            const auto& r = std::get<WorkerRound>(round);
            return Outcome{
                ExitCode::Ok,
                std::to_string(r.built) + " built, " + std::to_string(r.failed) + " failed, " +
                    std::to_string(r.expired) + " expired removed" + problems_text(r),
                Json{
                    {"built", r.built},
                    {"failed", r.failed},
                    {"expired", r.expired},
                    {"problems", r.problems}}};
        }
        std::this_thread::sleep_for(std::chrono::seconds(options.interval));
    }
}

Outcome cleanup(AdminContext& context, const NoOptions& /*options*/) {
    auto expired = remove_expired_exports(context);
    if (auto* failed = std::get_if<Outcome>(&expired)) {
        return std::move(*failed);
    }
    const int removed = std::get<int>(expired);
    return Outcome{
        ExitCode::Ok, std::to_string(removed) + " expired export(s) removed",
        Json{{"expired", removed}}};
}

}  // namespace

void add_export_commands(CLI::App& app, Action& chosen) {
    auto* exp = app.add_subcommand("export", "mailbox backups as zip archives with download links");
    exp->require_subcommand(1);

    auto* request_cmd = exp->add_subcommand(
        "request", "queue a backup of one or all mailboxes; prints the link token once"
    );
    auto request_options = std::make_shared<RequestOptions>();
    request_cmd->add_option("--account", request_options->address, "the account's mail address")
        ->required();
    request_cmd->add_option(
        "--mailbox", request_options->mailboxes, "a mailbox to export (repeatable); default all"
    );
    choose_on_parse(request_cmd, chosen, request_options, request);

    auto* list_cmd = exp->add_subcommand("list", "list exports and their links' expiry");
    auto list_options = std::make_shared<ListOptions>();
    list_cmd->add_option("--account", list_options->address, "only this account's exports");
    choose_on_parse(list_cmd, chosen, list_options, list);

    auto* delete_cmd = exp->add_subcommand("delete", "delete an export and its archive (final)");
    auto delete_options = std::make_shared<DeleteOptions>();
    delete_cmd->add_option("ID", delete_options->id, "the export's id")->required();
    choose_on_parse(delete_cmd, chosen, delete_options, remove);

    auto* fetch_cmd = exp->add_subcommand(
        "fetch", "download an archive by its link token, as the portal's link does"
    );
    auto fetch_options = std::make_shared<FetchOptions>();
    fetch_cmd->add_option("TOKEN", fetch_options->token, "the link token")->required();
    fetch_cmd->add_option("--account", fetch_options->address, "the account asking")->required();
    fetch_cmd->add_option("--output", fetch_options->output, "the file to write")->required();
    choose_on_parse(fetch_cmd, chosen, fetch_options, fetch);

    auto* run_cmd = exp->add_subcommand(
        "run", "remove expired exports and build pending ones (once, or every --interval seconds)"
    );
    auto run_options = std::make_shared<RunOptions>();
    run_cmd
        ->add_option("--interval", run_options->interval, "keep running, a round every N seconds")
        ->check(CLI::Range(0, 86400));
    choose_on_parse(run_cmd, chosen, run_options, run);

    auto* cleanup_cmd = exp->add_subcommand("cleanup", "remove expired exports and their archives");
    choose_on_parse(cleanup_cmd, chosen, std::make_shared<NoOptions>(), cleanup);
}

}  // namespace govmail::admin
