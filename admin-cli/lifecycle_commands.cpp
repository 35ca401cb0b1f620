// mailadm account retire|delete: the end of an account (storage/lifecycle_store.hpp).

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "admin-cli/account_json.hpp"
#include "admin-cli/commands.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/lifecycle_store.hpp"

namespace govmail::admin {
namespace {

struct RetireOptions {
    std::string address;
};

struct DeleteOptions {
    std::string address;
    bool yes = false;
};

Outcome retire(AdminContext& context, const RetireOptions& options) {
    storage::AccountAdminStore accounts(context.pool());
    const auto details = context.run(accounts.details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    const auto retired = context.run(
        storage::LifecycleStore(context.pool())
            .retire(
                details->account.id, context.retiree_reply(),
                context.audit_entry("account.retire", details->account.id, "by administrator")
            )
    );
    if (!retired) {
        return storage_failure(retired.error(), "account " + options.address);
    }
    if (retired->empty()) {
        return refused("account " + details->account.address + " is retired already");
    }
    const auto after = context.run(accounts.details(options.address));
    if (!after) {
        return storage_failure(after.error(), "account " + options.address);
    }
    return Outcome{
        ExitCode::Ok,
        after->account.address + " is retired: logins refused, certificates revoked, away reply on",
        account_json(*after)};
}

// Whoever runs mailadm on a terminal types the address again; elsewhere --yes is needed.
std::optional<Outcome> confirmation_refused(const DeleteOptions& options) {
    if (options.yes) {
        return std::nullopt;
    }
    if (::isatty(STDIN_FILENO) == 0) {
        return usage_error("account delete needs confirmation: run it on a terminal or pass --yes");
    }
    std::cerr << "This deletes " << options.address
              << " and all of its mail irrecoverably.\nType the address to confirm: " << std::flush;
    std::string typed;
    std::getline(std::cin, typed);
    if (typed != options.address) {
        return refused("not confirmed; nothing deleted");
    }
    return std::nullopt;
}

std::string deletion_summary(const storage::DeletedAccount& deleted) {
    return deleted.address + " deleted with all its data; " +
           std::to_string(deleted.bodies_deleted) + " message bodies (" +
           std::to_string(deleted.bytes_freed) + " bytes) no longer used";
}

Outcome delete_account(AdminContext& context, const DeleteOptions& options) {
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    if (auto refusal = confirmation_refused(options)) {
        return *refusal;
    }
    const auto deleted =
        context.run(storage::LifecycleStore(context.pool())
                        .delete_account(details->account.id, [&](const storage::DeletedAccount& d) {
                            return context.audit_entry(
                                "account.delete", details->account.id, deletion_summary(d)
                            );
                        }));
    if (!deleted) {
        return storage_failure(deleted.error(), "account " + options.address);
    }
    std::size_t files_removed = 0;
    for (const auto& file : deleted->export_files) {
        std::error_code ec;
        files_removed += std::filesystem::remove(file, ec) ? 1 : 0;
    }
    const auto detail = deletion_summary(*deleted);
    return Outcome{
        ExitCode::Ok, detail,
        Json{
            {"address", deleted->address},
            {"bodies_deleted", deleted->bodies_deleted},
            {"bytes_freed", deleted->bytes_freed},
            {"export_files_removed", files_removed},
        }};
}

}  // namespace

void add_account_lifecycle_commands(CLI::App& account, Action& chosen) {
    auto* retire_cmd = account.add_subcommand(
        "retire",
        "lock an account for good: every login refused, certificates revoked, sessions ended, "
        "away reply on ([retiree]); mail is still accepted"
    );
    auto retire_options = std::make_shared<RetireOptions>();
    retire_cmd->add_option("ADDRESS", retire_options->address, "the account's mail address")
        ->required();
    choose_on_parse(retire_cmd, chosen, retire_options, retire);

    auto* delete_cmd = account.add_subcommand(
        "delete",
        "delete an account and all of its data irrecoverably (asks on a terminal unless --yes)"
    );
    auto delete_options = std::make_shared<DeleteOptions>();
    delete_cmd->add_option("ADDRESS", delete_options->address, "the account's mail address")
        ->required();
    delete_cmd->add_flag("--yes", delete_options->yes, "do not ask for confirmation");
    choose_on_parse(delete_cmd, chosen, delete_options, delete_account);
}

}  // namespace govmail::admin
