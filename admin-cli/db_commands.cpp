// mailadm db migrate: brings the schema up to date (safe to repeat and to run concurrently).

#include "admin-cli/commands.hpp"
#include "storage/migrate.hpp"

namespace govmail::admin {
namespace {

struct MigrateOptions {};

std::string summary_of(const storage::MigrationReport& report) {
    return "schema version " + std::to_string(report.current_version) + ", " +
           std::to_string(report.applied) + " migration(s) applied";
}

boost::asio::awaitable<Result<storage::MigrationReport>> migrate_pooled(AdminContext& context) {
    auto conn = co_await context.pool().acquire();
    if (!conn) {
        co_return conn.error();
    }
    co_return co_await storage::migrate(**conn, [&](const storage::MigrationReport& report) {
        return context.audit_entry("db.migrate", std::nullopt, summary_of(report));
    });
}

Outcome migrate(AdminContext& context, const MigrateOptions&) {
    const auto report = context.run(migrate_pooled(context));
    if (!report) {
        return storage_failure(report.error(), "migration");
    }
    return Outcome{
        ExitCode::Ok, summary_of(*report),
        Json{{"version", report->current_version}, {"applied", report->applied}}};
}

}  // namespace

void add_db_commands(CLI::App& app, Action& chosen) {
    auto* db = app.add_subcommand("db", "database schema");
    db->require_subcommand(1);
    auto* sub = db->add_subcommand("migrate", "apply the schema migrations the database lacks");
    choose_on_parse(sub, chosen, std::make_shared<MigrateOptions>(), migrate);
}

}  // namespace govmail::admin
