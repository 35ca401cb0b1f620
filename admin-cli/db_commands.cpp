// mailadm db migrate: brings the schema up to date (safe to repeat and to run concurrently).

#include "admin-cli/commands.hpp"
#include "storage/migrate.hpp"

namespace govmail::admin {
namespace {

struct MigrateOptions {};

boost::asio::awaitable<Result<storage::MigrationReport>> migrate_pooled(storage::Pool& pool) {
    auto conn = co_await pool.acquire();
    if (!conn) {
        co_return conn.error();
    }
    co_return co_await storage::migrate(**conn);
}

Outcome migrate(AdminContext& context, const MigrateOptions&) {
    const auto report = context.run(migrate_pooled(context.pool()));
    if (!report) {
        return storage_failure(report.error(), "migration");
    }
    const auto summary = "schema version " + std::to_string(report->current_version) + ", " +
                         std::to_string(report->applied) + " migration(s) applied";
    if (report->applied > 0) {
        if (auto audited = context.audit("db.migrate", std::nullopt, summary); !audited) {
            return storage_failure(audited.error(), "audit log");
        }
    }
    return Outcome{
        ExitCode::Ok, summary,
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
