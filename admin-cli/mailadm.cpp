#include "admin-cli/mailadm.hpp"

#include "admin-cli/commands.hpp"
#include "admin-cli/queue_commands.hpp"
#include "common/config_file.hpp"

namespace govmail::admin {

int run_mailadm(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{
        "mailadm: administer govmail: directory, signups, accounts, app passwords, audit log, "
        "outbound queue, schema"};
    app.require_subcommand(1);
    app.fallthrough();
    std::optional<std::string> config_file;
    bool json = false;
    app.add_option(
        "--config", config_file,
        "configuration file (the daemons' one); default: $GOVMAIL_CONFIG, "
        "/etc/govmail/govmail.conf, or conf/govmail.conf of the checkout mailadm was built in"
    );
    app.add_flag("--json", json, "print machine-readable JSON instead of tables");

    Action chosen;
    add_db_commands(app, chosen);
    add_account_commands(app, chosen);
    add_app_password_commands(app, chosen);
    add_audit_commands(app, chosen);
    add_directory_commands(app, chosen);
    add_signup_commands(app, chosen);
    add_cert_commands(app, chosen);
    add_gpki_commands(app, chosen);
    add_token_commands(app, chosen);
    add_autoreply_commands(app, chosen);
    add_addressbook_commands(app, chosen);
    add_export_commands(app, chosen);
    add_alias_commands(app, chosen);
    add_unit_list_commands(app, chosen);
    add_queue_commands(app, chosen);
    add_dkim_commands(app, chosen);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e, out, err);
        return rc == 0 ? 0 : static_cast<int>(ExitCode::Usage);
    }
    if (!chosen) {
        err << app.help();
        return static_cast<int>(ExitCode::Usage);
    }
    try {
        AdminContext context(find_config_file(
            config_file ? std::optional<std::filesystem::path>(*config_file) : std::nullopt
        ));
        const auto outcome = chosen(context);
        print_outcome(outcome, json, out, err);
        return static_cast<int>(outcome.code);
    } catch (const std::exception& e) {
        print_outcome(Outcome{ExitCode::Error, e.what(), {}}, json, out, err);
        return static_cast<int>(ExitCode::Error);
    }
}

}  // namespace govmail::admin
