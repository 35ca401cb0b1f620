#include "storage/migrate.hpp"

#include <set>

#include "storage/sql/migrations.hpp"
#include "storage/sql/schema.hpp"

namespace govmail::storage {
using boost::asio::awaitable;

namespace {

awaitable<Result<MigrationReport>> apply_missing(
    Connection& conn, const AuditOf<MigrationReport>& audit
) {
    for (const auto* stmt : {&sql::kLockMigrations, &sql::kCreateMigrationsTable}) {
        if (auto r = co_await conn.execute(*stmt, Params{}); !r) {
            co_return r.error();
        }
    }
    auto applied = co_await conn.execute(sql::kAppliedVersions, Params{});
    if (!applied) {
        co_return applied.error();
    }
    std::set<int> done;
    for (int row = 0; row < applied->rows(); ++row) {
        done.insert(static_cast<int>(applied->int64(row, 0)));
    }
    MigrationReport report;
    for (const auto& migration : sql::migrations()) {
        if (!done.contains(migration.version)) {
            if (auto r = co_await conn.execute_script(migration.script); !r) {
                co_return r.error();
            }
            auto recorded = co_await conn.execute(
                sql::kRecordMigration, Params(migration.version, migration.description)
            );
            if (!recorded) {
                co_return recorded.error();
            }
            ++report.applied;
        }
        report.current_version = migration.version;
    }
    if (audit && report.applied > 0) {
        if (auto appended = co_await append_audit(conn, audit(report)); !appended) {
            co_return appended.error();
        }
    }
    co_return report;
}

}  // namespace

awaitable<Result<MigrationReport>> migrate(
    Connection& conn, const AuditOf<MigrationReport>& audit
) {
    if (auto begun = co_await conn.execute_script("BEGIN"); !begun) {
        co_return begun.error();
    }
    auto report = co_await apply_missing(conn, audit);
    const auto end = co_await conn.execute_script(report ? "COMMIT" : "ROLLBACK");
    if (report && !end) {
        co_return end.error();
    }
    co_return report;
}

}  // namespace govmail::storage
