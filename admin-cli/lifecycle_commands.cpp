// mailadm account retire|reinstate|delete: the end of an account, and its undoing for a
// person back in the directory (storage/lifecycle_store.hpp).

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <variant>

#include "admin-cli/account_json.hpp"
#include "admin-cli/commands.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/account_state.hpp"
#include "storage/directory_store.hpp"
#include "storage/lifecycle_store.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

struct RetireOptions {
    std::string address;
};

struct ReinstateOptions {
    std::string address;
    bool force = false;  // although the person is not back in the directory
    std::string reason;
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

// Why ACCOUNT's person is not back in the directory, when they are not.
std::variant<std::optional<std::string>, Outcome> person_not_back(
    AdminContext& context, const storage::AccountDetails& account
) {
    if (!account.employee_no) {
        return std::optional<std::string>();
    }
    const auto person =
        context.run(storage::DirectoryStore(context.pool()).find(*account.employee_no));
    if (!person) {
        if (person.error() == make_error_code(storage::Errc::NotFound)) {
            return std::optional<std::string>(
                "employee " + *account.employee_no + " is not in the directory"
            );
        }
        return storage_failure(person.error(), "directory");
    }
    if (person->retired) {
        return std::optional<std::string>(
            "employee " + *account.employee_no + " (" + person->name +
            ") has left the directory; the next sync listing them brings them back"
        );
    }
    return std::optional<std::string>();
}

Outcome reinstate(AdminContext& context, const ReinstateOptions& options) {
    storage::AccountAdminStore accounts(context.pool());
    const auto details = context.run(accounts.details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    const auto& address = details->account.address;
    if (details->account.state != storage::AccountState::Retired) {
        return refused(
            "account " + address + " is " +
            std::string(storage::account_state_name(details->account.state)) + ", not retired"
        );
    }
    auto absent = person_not_back(context, *details);
    if (auto* outcome = std::get_if<Outcome>(&absent)) {
        return *outcome;
    }
    const auto& why_not = std::get<std::optional<std::string>>(absent);
    if (why_not && !options.force) {
        return refused(
            "cannot reinstate " + address + ": " + *why_not + " (--force --reason to override)"
        );
    }
    const auto detail = why_not ? "by administrator; forced (" + *why_not + "): " + options.reason
                                : std::string("by administrator");
    const auto reinstated =
        context.run(storage::LifecycleStore(context.pool())
                        .reinstate(
                            details->account.id,
                            context.audit_entry("account.reinstate", details->account.id, detail)
                        ));
    if (!reinstated) {
        return storage_failure(reinstated.error(), "account " + address);
    }
    if (reinstated->empty()) {
        return refused("account " + address + " is not retired any more");
    }
    const auto after = context.run(accounts.details(options.address));
    if (!after) {
        return storage_failure(after.error(), "account " + options.address);
    }
    return Outcome{
        ExitCode::Ok,
        address +
            " is reinstated: logins allowed again with its mail, folders and address; away "
            "reply off; certificates stay revoked until a new certificate login or signup "
            "approval binds one",
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

    auto* reinstate_cmd = account.add_subcommand(
        "reinstate",
        "undo a retirement for a person back in the directory: logins allowed again with the "
        "account's mail, folders and address, away reply off; certificate bindings stay revoked "
        "(a new certificate login or signup approval binds one)"
    );
    auto reinstate_options = std::make_shared<ReinstateOptions>();
    reinstate_cmd->add_option("ADDRESS", reinstate_options->address, "the account's mail address")
        ->required();
    auto* reason = reinstate_cmd->add_option(
        "--reason", reinstate_options->reason, "why the directory is overridden (recorded)"
    );
    reinstate_cmd
        ->add_flag(
            "--force", reinstate_options->force,
            "reinstate although the person is not back in the directory"
        )
        ->needs(reason);
    choose_on_parse(reinstate_cmd, chosen, reinstate_options, reinstate);

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
