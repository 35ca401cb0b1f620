#pragma once

// Changes that carry their audit entry: the change and its entry in the audit log commit in
// one transaction, so a change is never applied without its entry, and an entry that cannot
// be written undoes the change (an error then means nothing happened). Every changing store
// operation that an administrator or a user starts takes its entry and runs through here.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <utility>
#include <vector>

#include "storage/audit_store.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/transaction.hpp"

namespace govmail::storage {

// How a change describes itself once its row is known (the id of what it created, say).
template <class T>
using AuditOf = std::function<AuditEntry(const T&)>;

// The same for a change that writes several entries (a sync and what it caused).
template <class T>
using AuditsOf = std::function<std::vector<AuditEntry>(const T&)>;

// Appends ENTRY on CONN, inside the transaction the caller holds open.
boost::asio::awaitable<Result<void>> append_audit(Connection& conn, const AuditEntry& entry);

// What READ makes of a row of a result.
template <class Read>
using RowOf = decltype(std::declval<Read&>()(std::declval<const PgResult&>(), 0));

// Runs STMT, reads all its rows with READ and appends AUDIT of each, in one transaction.
template <class Read>
auto all_rows_audited(
    Pool& pool,
    const Statement& stmt,
    const Params& params,
    Read read,
    const AuditOf<RowOf<Read>>& audit
) -> boost::asio::awaitable<Result<std::vector<RowOf<Read>>>> {
    using Rows = std::vector<RowOf<Read>>;
    co_return co_await in_transaction(
        pool,
        [&](Connection& conn) -> boost::asio::awaitable<Result<Rows>> {
            auto r = co_await conn.execute(stmt, params);
            if (!r) {
                co_return Result<Rows>(boost::system::in_place_error, r.error());
            }
            Rows rows;
            for (int row = 0; row < r->rows(); ++row) {
                rows.push_back(read(*r, row));
                if (auto appended = co_await append_audit(conn, audit(rows.back())); !appended) {
                    co_return Result<Rows>(boost::system::in_place_error, appended.error());
                }
            }
            co_return rows;
        }
    );
}

// The same for a statement of one row: NotFound when it has none.
template <class Read>
auto one_row_audited(
    Pool& pool,
    const Statement& stmt,
    const Params& params,
    Read read,
    const AuditOf<RowOf<Read>>& audit
) -> boost::asio::awaitable<Result<RowOf<Read>>> {
    auto rows = co_await all_rows_audited(pool, stmt, params, std::move(read), audit);
    if (!rows) {
        co_return Result<RowOf<Read>>(boost::system::in_place_error, rows.error());
    }
    if (rows->empty()) {
        co_return Result<RowOf<Read>>(
            boost::system::in_place_error, make_error_code(Errc::NotFound)
        );
    }
    co_return std::move(rows->front());
}

// Runs STMT and appends ENTRY, in one transaction.
boost::asio::awaitable<Result<void>> statement_audited(
    Pool& pool, const Statement& stmt, const Params& params, const AuditEntry& entry
);

// A change outside the database (files) that must be in the log exactly when it is made:
// appends ENTRY, then makes CHANGE, then commits. An entry that cannot be written leaves the
// change unmade; a CHANGE that throws takes the entry back.
boost::asio::awaitable<Result<void>> outside_change_audited(
    Pool& pool, const AuditEntry& entry, const std::function<void()>& change
);

}  // namespace govmail::storage
