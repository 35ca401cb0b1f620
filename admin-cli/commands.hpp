#pragma once

// mailadm's subcommand families. Each add_* function registers its subcommands on APP; the
// one named on the command line leaves its action in CHOSEN, which main runs once the
// configuration and database are set up (so `--help` and usage errors need neither).

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

#include "admin-cli/admin_context.hpp"
#include "admin-cli/outcome.hpp"

namespace govmail::admin {

using Action = std::function<Outcome(AdminContext&)>;

void add_db_commands(CLI::App& app, Action& chosen);
void add_account_commands(CLI::App& app, Action& chosen);
void add_app_password_commands(CLI::App& app, Action& chosen);
void add_audit_commands(CLI::App& app, Action& chosen);
void add_directory_commands(CLI::App& app, Action& chosen);
void add_signup_commands(CLI::App& app, Action& chosen);
// `account retire` and `account delete`, registered on the `account` subcommand.
void add_account_lifecycle_commands(CLI::App& account, Action& chosen);
void add_cert_commands(CLI::App& app, Action& chosen);
void add_gpki_commands(CLI::App& app, Action& chosen);
void add_gpki_dev_commands(CLI::App& gpki, Action& chosen);
void add_token_commands(CLI::App& app, Action& chosen);
void add_autoreply_commands(CLI::App& app, Action& chosen);
void add_addressbook_commands(CLI::App& app, Action& chosen);
void add_export_commands(CLI::App& app, Action& chosen);
void add_dkim_commands(CLI::App& app, Action& chosen);
void add_alias_commands(CLI::App& app, Action& chosen);
void add_unit_list_commands(CLI::App& app, Action& chosen);

// Makes RUN(context, *OPTIONS) the chosen action when SUB is named on the command line.
template <class Options>
void choose_on_parse(
    CLI::App* sub,
    Action& chosen,
    std::shared_ptr<Options> options,
    Outcome (*run)(AdminContext&, const Options&)
) {
    sub->callback([&chosen, options, run] {
        chosen = [options, run](AdminContext& context) { return run(context, *options); };
    });
}

}  // namespace govmail::admin
