// mailadm audit show: the newest audit log entries, oldest first, optionally filtered. Each
// names its account (address, person, unit) as it was when written, even once deleted.

#include "admin-cli/commands.hpp"
#include "storage/audit_store.hpp"

namespace govmail::admin {
namespace {

struct ShowOptions {
    std::string account;
    std::string since;
    std::string action;
    std::int64_t limit = 100;
};

std::optional<std::string> given(const std::string& value) {
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

Json optional_json(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json();
}

Outcome show(AdminContext& context, const ShowOptions& options) {
    const storage::AuditQuery query{
        given(options.account), given(options.since), given(options.action), options.limit};
    const auto records = context.run(storage::AuditStore(context.pool()).query(query));
    if (!records) {
        return storage_failure(records.error(), "audit log query");
    }
    Json rows = Json::array();
    for (const auto& record : *records) {
        rows.push_back(Json{
            {"id", record.id},
            {"at", iso_time(record.at)},
            {"actor", record.actor},
            {"action", record.action},
            {"account", optional_json(record.account)},
            {"name", optional_json(record.name)},
            {"unit", optional_json(record.unit)},
            {"source", optional_json(record.source)},
            {"method", optional_json(record.method)},
            {"detail", record.detail},
        });
    }
    return Outcome{ExitCode::Ok, {}, rows};
}

}  // namespace

void add_audit_commands(CLI::App& app, Action& chosen) {
    auto* audit = app.add_subcommand("audit", "the audit log");
    audit->require_subcommand(1);
    auto* show_cmd = audit->add_subcommand("show", "show audit log entries");
    auto options = std::make_shared<ShowOptions>();
    show_cmd->add_option("--account", options->account, "only entries about this address");
    show_cmd->add_option("--since", options->since, "only entries from this time (ISO 8601)");
    show_cmd->add_option("--action", options->action, "only this action, e.g. login.failure");
    show_cmd->add_option("--limit", options->limit, "at most this many (newest)")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    choose_on_parse(show_cmd, chosen, options, show);
}

}  // namespace govmail::admin
