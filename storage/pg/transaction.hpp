#pragma once

// Running a unit of work inside one database transaction, retried a bounded number of times
// with jittered back-off when PostgreSQL reports a serialization failure or deadlock
// (SQLSTATE 40001/40P01, Errc::Temp). The body gets the connection and returns Result<T>;
// BEGIN goes in the same flight as the body's first statement, saving it a round trip;
// the transaction commits only when it succeeds, and the caller acknowledges only after this
// returns a value (durability before acknowledgement; a COMMIT whose reply was lost counts
// once PostgreSQL says it took effect, see commit.hpp).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "storage/pg/commit.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/pool.hpp"

namespace govmail::storage {

constexpr int kTransactionAttempts = 5;

template <class Body>
auto in_transaction(Pool& pool, Body body) -> decltype(body(std::declval<Connection&>())) {
    using Outcome = typename decltype(body(std::declval<Connection&>()))::value_type;
    thread_local std::minstd_rand jitter{std::random_device{}()};
    Outcome outcome = make_error_code(Errc::Temp);
    for (int attempt = 0; attempt < kTransactionAttempts; ++attempt) {
        auto conn = co_await pool.acquire();
        if (!conn) {
            co_return conn.error();
        }
        (*conn)->begin_with_next_flight();
        outcome = co_await body(**conn);
        if (outcome) {
            auto committed = co_await commit_in_flight(pool, **conn, {});
            if (committed) {
                co_return outcome;
            }
            outcome = committed.error();
        } else {
            co_await (*conn)->execute_script("ROLLBACK");
        }
        if (outcome.error() != make_error_code(Errc::Temp) || (*conn)->broken()) {
            co_return outcome;
        }
        const auto backoff =
            std::chrono::milliseconds((5 << attempt) + static_cast<int>(jitter() % 10));
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, backoff);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
    co_return outcome;
}

}  // namespace govmail::storage
