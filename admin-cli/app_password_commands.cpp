// mailadm app-password create|list|revoke: per-device passwords for standard mail clients
// (selfservice/app_passwords.hpp, as the portal's page).

#include "admin-cli/account_json.hpp"
#include "admin-cli/commands.hpp"
#include "selfservice/app_passwords.hpp"
#include "storage/credential_store.hpp"
#include "storage/mailstore.hpp"

namespace govmail::admin {
namespace {

struct CreateOptions {
    std::string address;
    std::string device;
};

struct ListOptions {
    std::string address;
};

struct RevokeOptions {
    std::string address;
    std::int64_t id = 0;
};

Result<storage::Account> find_account(AdminContext& context, const std::string& address) {
    return context.run(storage::Mailstore(context.pool()).find_account(address));
}

Outcome create(AdminContext& context, const CreateOptions& options) {
    const auto account = find_account(context, options.address);
    if (!account) {
        return storage_failure(account.error(), "account " + options.address);
    }
    if (auto problem = selfservice::device_name_problem(options.device)) {
        return usage_error(*problem);
    }
    const auto created = context.run(selfservice::create_app_password(
        context.pool(), context.audit_actor(), account->id, options.device
    ));
    if (!created) {
        return storage_failure(created.error(), "app password for device '" + options.device + "'");
    }
    auto data = app_password_json(created->record);
    data["password"] = created->secret;
    return Outcome{ExitCode::Ok, "shown once: enter it in the device's mail client", data};
}

Outcome list(AdminContext& context, const ListOptions& options) {
    const auto account = find_account(context, options.address);
    if (!account) {
        return storage_failure(account.error(), "account " + options.address);
    }
    const auto app_passwords =
        context.run(storage::CredentialStore(context.pool()).list_app_passwords(account->id));
    if (!app_passwords) {
        return storage_failure(app_passwords.error(), "app passwords");
    }
    Json rows = Json::array();
    for (const auto& app_password : *app_passwords) {
        rows.push_back(app_password_json(app_password));
    }
    return Outcome{ExitCode::Ok, {}, rows};
}

Outcome revoke(AdminContext& context, const RevokeOptions& options) {
    const auto account = find_account(context, options.address);
    if (!account) {
        return storage_failure(account.error(), "account " + options.address);
    }
    const auto revoked = context.run(selfservice::revoke_app_password(
        context.pool(), context.audit_actor(), account->id, options.id
    ));
    if (!revoked) {
        return storage_failure(
            revoked.error(), "active app password " + std::to_string(options.id)
        );
    }
    const auto detail = "id " + std::to_string(revoked->id) + " (" + revoked->device + ")";
    return Outcome{ExitCode::Ok, "revoked app password " + detail, app_password_json(*revoked)};
}

}  // namespace

void add_app_password_commands(CLI::App& app, Action& chosen) {
    auto* group = app.add_subcommand("app-password", "per-device app passwords");
    group->require_subcommand(1);

    auto* create_cmd = group->add_subcommand("create", "make an app password and print it once");
    auto create_options = std::make_shared<CreateOptions>();
    create_cmd->add_option("ADDRESS", create_options->address, "mail address")->required();
    create_cmd
        ->add_option(
            "--device", create_options->device, "device name, e.g. 'office PC' (at most 100 bytes)"
        )
        ->required();
    choose_on_parse(create_cmd, chosen, create_options, create);

    auto* list_cmd = group->add_subcommand("list", "list an account's app passwords");
    auto list_options = std::make_shared<ListOptions>();
    list_cmd->add_option("ADDRESS", list_options->address, "mail address")->required();
    choose_on_parse(list_cmd, chosen, list_options, list);

    auto* revoke_cmd = group->add_subcommand("revoke", "revoke an app password (final)");
    auto revoke_options = std::make_shared<RevokeOptions>();
    revoke_cmd->add_option("ADDRESS", revoke_options->address, "mail address")->required();
    revoke_cmd->add_option("ID", revoke_options->id, "the id `app-password list` shows")
        ->required();
    choose_on_parse(revoke_cmd, chosen, revoke_options, revoke);
}

}  // namespace govmail::admin
