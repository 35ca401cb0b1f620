#pragma once

// Running one statement outside an explicit transaction: the building block of the small
// stores (credentials, throttle, audit, account administration).

#include <boost/asio/awaitable.hpp>

#include "storage/pg/errc.hpp"
#include "storage/pg/pool.hpp"

namespace govmail::storage {

inline boost::asio::awaitable<Result<PgResult>> run_statement(
    Pool& pool, const Statement& stmt, const Params& params
) {
    auto conn = co_await pool.acquire();
    if (!conn) {
        co_return conn.error();
    }
    co_return co_await (*conn)->execute(stmt, params);
}

// Runs a statement that returns one row (NotFound when none) and reads it with READ.
template <class Read>
auto run_one_row(Pool& pool, const Statement& stmt, const Params& params, Read read)
    -> boost::asio::awaitable<Result<decltype(read(std::declval<const PgResult&>(), 0))>> {
    // in_place_error throughout: a Result<bool> would take an error_code as its value.
    using Value = decltype(read(std::declval<const PgResult&>(), 0));
    auto r = co_await run_statement(pool, stmt, params);
    if (!r) {
        co_return Result<Value>(boost::system::in_place_error, r.error());
    }
    if (r->empty()) {
        co_return Result<Value>(boost::system::in_place_error, make_error_code(Errc::NotFound));
    }
    co_return read(*r, 0);
}

// Runs a statement and reads every row with READ.
template <class Read>
auto run_all_rows(Pool& pool, const Statement& stmt, const Params& params, Read read)
    -> boost::asio::awaitable<
        Result<std::vector<decltype(read(std::declval<const PgResult&>(), 0))>>> {
    auto r = co_await run_statement(pool, stmt, params);
    if (!r) {
        co_return r.error();
    }
    std::vector<decltype(read(*r, 0))> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) {
        out.push_back(read(*r, row));
    }
    co_return out;
}

// A nullable bigint column.
inline std::optional<std::int64_t> optional_int64(const PgResult& r, int row, int col) {
    if (r.is_null(row, col)) {
        return std::nullopt;
    }
    return r.int64(row, col);
}

}  // namespace govmail::storage
