// mailadm account create|password|list|show|suspend|resume (retire and delete are in
// lifecycle_commands.cpp). A person's account passes the directory checks of a signup.

#include <iostream>

#include "admin-cli/account_json.hpp"
#include "admin-cli/account_provision.hpp"
#include "admin-cli/address_check.hpp"
#include "admin-cli/commands.hpp"
#include "admin-cli/mail_id.hpp"
#include "admin-cli/password_input.hpp"
#include "auth/password_hash.hpp"
#include "auth/secrets.hpp"
#include "auth/signup_checks.hpp"
#include "common/utf8.hpp"
#include "selfservice/password.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/account_state.hpp"
#include "storage/credential_store.hpp"
#include "storage/directory_store.hpp"
#include "storage/mailstore.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

struct AddressOptions {
    std::string address;
};

struct CreateOptions {
    std::string address;
    std::string name;
    bool service = false;
    bool force = false;
    std::string reason;
};

struct PasswordOptions {
    std::string address;
    bool generate = false;
    bool from_stdin = false;
};

struct ListOptions {
    std::string state;
    std::string unit;
};

// The directory's entry for the mail ID of a local ADDRESS, when there is one.
Result<std::optional<storage::DirectoryPerson>> person_for(
    AdminContext& context, const std::string& address
) {
    const auto mail_id = mail_id_of(address, context.config()).value_or("");
    auto person = context.run(storage::DirectoryStore(context.pool()).find_by_mail_id(mail_id));
    if (person) {
        return std::optional(std::move(*person));
    }
    if (person.error() == make_error_code(storage::Errc::NotFound)) {
        return std::optional<storage::DirectoryPerson>();
    }
    return person.error();
}

Outcome create(AdminContext& context, const CreateOptions& options) {
    if (auto problem = address_problem(options.address, context.config())) {
        return refused(*problem);
    }
    storage::AccountAdminStore accounts(context.pool());
    if (context.run(accounts.details(options.address))) {
        return refused("account " + options.address + ": already exists");
    }
    std::optional<storage::DirectoryPerson> person;
    std::vector<std::string> failures;
    if (!options.service) {
        auto found = person_for(context, options.address);
        if (!found) {
            return storage_failure(found.error(), "directory");
        }
        person = std::move(*found);
        const auto mail_id = mail_id_of(options.address, context.config()).value_or("");
        failures = auth::signup_checks(person, mail_id, auth::CertificateCheck::None).failures();
    }
    if (!failures.empty() && !options.force) {
        return refused(
            "cannot create " + options.address + ": " + failures.front() +
            " (--service for a service account, --force --reason to override)"
        );
    }
    const bool link = person && !person->retired;
    const auto name = options.name.empty() && link ? person->name : options.name;
    auto detail = link ? " for employee " + person->employee_no : "";
    for (const auto& failure : failures) {
        detail += "; overridden: " + failure;
    }
    detail += failures.empty() ? "" : "; reason: " + options.reason;
    const auto created = provision_account(
        context,
        storage::NewAccount{options.address, name, options.service, link ? person->org_unit : ""},
        detail,
        [&](storage::AccountId id) -> Result<void> {
            if (!link) {
                return {};
            }
            return context.run(storage::DirectoryStore(context.pool()).link(id, person->employee_no)
            );
        }
    );
    if (!created) {
        return storage_failure(created.error(), "account " + options.address);
    }
    const auto details = context.run(accounts.details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    return Outcome{ExitCode::Ok, "created " + created->address, account_json(*details)};
}

std::optional<std::string> new_password(const PasswordOptions& options) {
    if (options.generate) {
        return auth::generate_secret();
    }
    if (options.from_stdin) {
        return read_password_line(std::cin);
    }
    return prompt_password();
}

Outcome set_password(AdminContext& context, const PasswordOptions& options) {
    storage::Mailstore store(context.pool());
    const auto account = context.run(store.find_account(options.address));
    if (!account) {
        return storage_failure(account.error(), "account " + options.address);
    }
    const auto password = new_password(options);
    if (!password) {
        return usage_error("no password given");
    }
    if (auto problem = selfservice::password_problem(*password)) {
        return refused(*problem);
    }
    const auto phc = auth::hash_password(*password, auth::argon2_params(context.config().auth));
    const auto* detail = options.generate ? "password generated" : "password set";
    if (auto set = context.run(selfservice::store_password(
            context.pool(), context.audit_actor(), account->id, phc,
            selfservice::PasswordSetter::Administrator, detail
        ));
        !set) {
        return storage_failure(set.error(), "account " + options.address);
    }
    if (!options.generate) {
        return Outcome{ExitCode::Ok, "password set for " + account->address, {}};
    }
    return Outcome{
        ExitCode::Ok, "shown once: give it to the user over a trusted channel",
        Json{{"address", account->address}, {"password", *password}}};
}

Outcome list(AdminContext& context, const ListOptions& options) {
    std::optional<storage::AccountState> state;
    if (!options.state.empty()) {
        state = storage::parse_account_state(options.state);
    }
    std::optional<std::string> unit;
    if (!options.unit.empty()) {
        unit = options.unit;
    }
    const auto accounts = context.run(storage::AccountAdminStore(context.pool()).list(state, unit));
    if (!accounts) {
        return storage_failure(accounts.error(), "accounts");
    }
    Json rows = Json::array();
    for (const auto& details : *accounts) {
        rows.push_back(account_json(details));
    }
    return Outcome{ExitCode::Ok, {}, rows};
}

Outcome show(AdminContext& context, const AddressOptions& options) {
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    const auto app_passwords =
        context.run(storage::CredentialStore(context.pool()).list_app_passwords(details->account.id)
        );
    if (!app_passwords) {
        return storage_failure(app_passwords.error(), "app passwords");
    }
    auto data = account_json(*details);
    data["app_passwords"] = std::count_if(
        app_passwords->begin(), app_passwords->end(),
        [](const storage::AppPassword& p) { return !p.revoked_at; }
    );
    return Outcome{ExitCode::Ok, {}, data};
}

// Moves the account from FROM to TO, refusing from any other state.
Outcome change_state(
    AdminContext& context,
    const std::string& address,
    storage::AccountState from,
    storage::AccountState to,
    const std::string& action
) {
    storage::AccountAdminStore store(context.pool());
    const auto details = context.run(store.details(address));
    if (!details) {
        return storage_failure(details.error(), "account " + address);
    }
    if (details->account.state != from) {
        return refused(
            "account " + details->account.address + " is " +
            std::string(storage::account_state_name(details->account.state)) + ", not " +
            std::string(storage::account_state_name(from))
        );
    }
    const auto changed = context.run(store.set_state(
        details->account.id, to, context.audit_entry(action, details->account.id, address)
    ));
    if (!changed) {
        return storage_failure(changed.error(), "account " + address);
    }
    return Outcome{
        ExitCode::Ok,
        changed->account.address + " is now " +
            std::string(storage::account_state_name(changed->account.state)),
        account_json(*changed)};
}

Outcome suspend(AdminContext& context, const AddressOptions& options) {
    return change_state(
        context, options.address, storage::AccountState::Active, storage::AccountState::Suspended,
        "account.suspend"
    );
}

Outcome resume(AdminContext& context, const AddressOptions& options) {
    return change_state(
        context, options.address, storage::AccountState::Suspended, storage::AccountState::Active,
        "account.resume"
    );
}

std::shared_ptr<AddressOptions> add_address(CLI::App* sub) {
    auto options = std::make_shared<AddressOptions>();
    sub->add_option("ADDRESS", options->address, "the account's mail address")->required();
    return options;
}

}  // namespace

void add_account_commands(CLI::App& app, Action& chosen) {
    auto* account = app.add_subcommand("account", "mail accounts");
    account->require_subcommand(1);

    auto* create_cmd =
        account->add_subcommand("create", "create an account with its standard mailboxes");
    auto create_options = std::make_shared<CreateOptions>();
    create_cmd->add_option("ADDRESS", create_options->address, "mail address")->required();
    create_cmd->add_option("--name", create_options->name, "display name");
    auto* service = create_cmd->add_flag(
        "--service", create_options->service, "a service (non-person) account: no directory checks"
    );
    auto* reason = create_cmd->add_option(
        "--reason", create_options->reason, "why failed directory checks are overridden (recorded)"
    );
    create_cmd
        ->add_flag(
            "--force", create_options->force,
            "create a person's account although the directory checks fail"
        )
        ->needs(reason)
        ->excludes(service);
    choose_on_parse(create_cmd, chosen, create_options, create);

    auto* password_cmd = account->add_subcommand(
        "password", "set the password (asked on the terminal unless --stdin or --generate)"
    );
    auto password_options = std::make_shared<PasswordOptions>();
    password_cmd->add_option("ADDRESS", password_options->address, "mail address")->required();
    auto* generate = password_cmd->add_flag(
        "--generate", password_options->generate, "generate and print it once"
    );
    password_cmd
        ->add_flag("--stdin", password_options->from_stdin, "read it from the first line of stdin")
        ->excludes(generate);
    choose_on_parse(password_cmd, chosen, password_options, set_password);

    auto* list_cmd = account->add_subcommand("list", "list accounts");
    auto list_options = std::make_shared<ListOptions>();
    list_cmd->add_option("--state", list_options->state, "only accounts in this state")
        ->check(CLI::IsMember({"active", "suspended", "locked", "retired"}));
    list_cmd->add_option("--unit", list_options->unit, "only accounts in this organisation unit");
    choose_on_parse(list_cmd, chosen, list_options, list);

    auto* show_cmd = account->add_subcommand("show", "show one account");
    choose_on_parse(show_cmd, chosen, add_address(show_cmd), show);

    auto* suspend_cmd =
        account->add_subcommand("suspend", "refuse every login of an active account");
    choose_on_parse(suspend_cmd, chosen, add_address(suspend_cmd), suspend);

    auto* resume_cmd = account->add_subcommand("resume", "let a suspended account log in again");
    choose_on_parse(resume_cmd, chosen, add_address(resume_cmd), resume);

    add_account_lifecycle_commands(*account, chosen);
}

}  // namespace govmail::admin
