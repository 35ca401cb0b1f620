#include "storage/audit_store.hpp"

#include <algorithm>

#include "storage/audited.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/audit.hpp"

namespace govmail::storage {
namespace {

Params audit_params(const AuditEntry& entry) {
    return Params(
        entry.actor, entry.action, entry.account, entry.source, entry.method, entry.detail,
        entry.names.address, entry.names.name, entry.names.unit
    );
}

}  // namespace

boost::asio::awaitable<Result<void>> append_audit(Connection& conn, const AuditEntry& entry) {
    auto r = co_await conn.execute(sql::kAppendAudit, audit_params(entry));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

boost::asio::awaitable<Result<void>> statement_audited(
    Pool& pool, const Statement& stmt, const Params& params, const AuditEntry& entry
) {
    co_return co_await in_transaction(
        pool,
        [&](Connection& conn) -> boost::asio::awaitable<Result<void>> {
            if (auto r = co_await conn.execute(stmt, params); !r) {
                co_return r.error();
            }
            co_return co_await append_audit(conn, entry);
        }
    );
}

boost::asio::awaitable<Result<void>> outside_change_audited(
    Pool& pool, const AuditEntry& entry, const std::function<void()>& change
) {
    co_return co_await in_transaction(
        pool,
        [&](Connection& conn) -> boost::asio::awaitable<Result<void>> {
            if (auto appended = co_await append_audit(conn, entry); !appended) {
                co_return appended;
            }
            change();
            co_return Result<void>{};
        }
    );
}

AuditStore::Task<void> AuditStore::append(const AuditEntry& entry) {
    auto r = co_await run_statement(pool_, sql::kAppendAudit, audit_params(entry));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

AuditStore::Task<std::vector<AuditRecord>> AuditStore::query(const AuditQuery& query) {
    auto records = co_await run_all_rows(
        pool_, sql::kQueryAudit, Params(query.account, query.since, query.action, query.limit),
        [](const PgResult& r, int row) {
            return AuditRecord{
                r.int64(row, 0),
                r.int64(row, 1),
                std::string(r.text(row, 2)),
                std::string(r.text(row, 3)),
                r.optional_text(row, 4),
                r.optional_text(row, 5),
                r.optional_text(row, 6),
                std::string(r.text(row, 7)),
                r.optional_text(row, 8),
                r.optional_text(row, 9)};
        }
    );
    if (records) {
        std::reverse(records->begin(), records->end());
    }
    co_return records;
}

}  // namespace govmail::storage
