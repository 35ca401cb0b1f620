#include "storage/pg/commit.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "storage/pg/errc.hpp"
#include "storage/pg/sql/transactions.hpp"

namespace govmail::storage {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr std::chrono::milliseconds kAskAgainAfter{250};

}  // namespace

awaitable<Result<std::vector<PgResult>>> commit_in_flight(
    Pool& pool, Connection& conn, std::span<const PipelineStep> steps, EffectCheck check
) {
    const Params none;
    std::vector<PipelineStep> flight(steps.begin(), steps.end());
    flight.push_back(PipelineStep{sql::kCurrentTransactionId, none});
    flight.push_back(PipelineStep{sql::kCommit, none});
    auto sent = co_await conn.execute_pipeline(flight);
    auto& results = sent.results;
    if (results.size() == flight.size()) {
        results.resize(steps.size());  // COMMIT answered: a lost sync after it changes nothing
        co_return std::move(results);
    }
    const bool reply_lost = sent.error == make_error_code(Errc::Unavailable) || conn.broken();
    if (results.size() != steps.size() + 1 || !reply_lost || results.back().is_null(0, 0)) {
        co_return sent.error;  // COMMIT refused, never run, or nothing written
    }
    const std::string xid(results.back().text(0, 0));
    results.pop_back();  // the id: what is left are the results of STEPS
    std::function<awaitable<Result<TransactionEnd>>(Connection&)> confirm;
    if (check) {
        confirm = [&](Connection& asking) { return check(asking, results); };
    }
    const auto ended = co_await transaction_end(pool, xid, pool.options().commit_patience, confirm);
    if (!ended) {
        spdlog::error("database: lost the reply to COMMIT of transaction {}, outcome unknown", xid);
        co_return make_error_code(Errc::InDoubt);
    }
    const bool committed = *ended == TransactionEnd::Committed;
    spdlog::warn(
        "database: lost the reply to COMMIT of transaction {}, which {}", xid,
        committed ? "committed" : "did not commit"
    );
    if (!committed) {
        co_return sent.error;
    }
    co_return std::move(results);
}

awaitable<Result<TransactionEnd>> transaction_end(
    Pool& pool,
    std::string xid,
    std::chrono::milliseconds patience,
    const std::function<awaitable<Result<TransactionEnd>>(Connection&)>& confirm
) {
    const auto ex = co_await asio::this_coro::executor;
    const auto deadline = std::chrono::steady_clock::now() + patience;
    const Params asked(xid);
    std::unique_ptr<Connection> asking;
    for (;;) {
        if (asking == nullptr || asking->broken()) {
            auto opened = co_await Connection::open(
                ex, pool.options().dsn, pool.blocking(), pool.options().query_timeout
            );
            asking = opened ? std::move(*opened) : nullptr;
        }
        if (asking != nullptr) {
            auto status = co_await asking->execute(sql::kTransactionStatus, asked);
            if (!status && status.error() == make_error_code(Errc::InvalidData)) {
                co_return TransactionEnd::Aborted;  // "in the future": lost in a crash
            }
            const auto answer = status && !status->is_null(0, 0) ? status->text(0, 0) : "";
            if (answer == "committed") {
                if (!confirm) {
                    co_return TransactionEnd::Committed;
                }
                auto confirmed = co_await confirm(*asking);
                if (confirmed) {
                    co_return *confirmed;
                }
            }
            if (answer == "aborted") {
                co_return TransactionEnd::Aborted;
            }
        }
        if (std::chrono::steady_clock::now() + kAskAgainAfter > deadline) {
            co_return make_error_code(Errc::Unavailable);
        }
        asio::steady_timer pause(ex, kAskAgainAfter);
        co_await pause.async_wait(asio::use_awaitable);
    }
}

}  // namespace govmail::storage
