#include "storage/pg/connection.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "storage/pg/errc.hpp"
#include "storage/pg/sql/transactions.hpp"

namespace govmail::storage {
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using boost::system::error_code;

namespace {

// Blocking libpq calls, run on the blocking pool. Plain functions rather than capturing
// lambdas: g++ 12 destroys the captures of a coroutine lambda given to co_spawn twice.
awaitable<PGconn*> connect_blocking(std::string dsn) { co_return PQconnectdb(dsn.c_str()); }

awaitable<void> cancel_blocking(PGcancel* cancel) {
    char message[256];
    PQcancel(cancel, message, sizeof message);
    co_return;
}

// Server notices go to the log instead of libpq's default, standard error: NOTICE, INFO and
// the like ("relation ... already exists, skipping") at debug level, WARNING and anything more
// severe (a FATAL sent while idle) as warnings. Errors of statements are results, not notices.
void log_notice(void* /*unused*/, const PGresult* notice) {
    const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
    const std::string_view level = severity != nullptr ? severity : "";
    const std::string_view text = PQresultErrorMessage(notice);
    const auto message = text.substr(0, text.find_last_not_of('\n') + 1);
    if (level == "NOTICE" || level == "INFO" || level == "LOG" || level.starts_with("DEBUG")) {
        spdlog::debug("database: {}", message);
    } else {
        spdlog::warn("database: {}", message);
    }
}

}  // namespace

Connection::Connection(
    asio::any_io_executor ex,
    PGconn* conn,
    asio::thread_pool& blocking,
    std::chrono::milliseconds timeout
)
    : conn_(conn), socket_(ex, ::dup(PQsocket(conn))), blocking_(blocking), timeout_(timeout) {}

Connection::~Connection() {
    error_code ignored;
    socket_.close(ignored);  // our dup() of the socket; PQfinish closes libpq's own
    PQfinish(conn_);
}

awaitable<Result<std::unique_ptr<Connection>>> Connection::open(
    asio::any_io_executor ex,
    std::string dsn,
    asio::thread_pool& blocking,
    std::chrono::milliseconds timeout
) {
    PGconn* conn =
        co_await asio::co_spawn(blocking, connect_blocking(std::move(dsn)), use_awaitable);
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK || PQsetnonblocking(conn, 1) != 0) {
        PQfinish(conn);
        co_return make_error_code(Errc::Unavailable);
    }
    PQsetNoticeReceiver(conn, log_notice, nullptr);
    co_return std::unique_ptr<Connection>(new Connection(ex, conn, blocking, timeout));
}

bool Connection::still_open() {
    if (broken_) {
        return false;
    }
    // A terminated backend sends its FATAL message, which libpq takes for a notice while
    // idle, then closes: read until nothing is left, the end of the stream breaks it.
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    while (!broken_ && ::poll(&fd, 1, 0) > 0) {
        if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) {
            broken_ = true;
            last_error_ = PQerrorMessage(conn_);
        }
    }
    return !broken_;
}

bool Connection::in_transaction() const {
    return begin_pending_ || PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

Result<PgResult> Connection::fail(error_code ec, std::string message) {
    last_error_ = std::move(message);
    if (ec == make_error_code(Errc::Unavailable) || PQstatus(conn_) != CONNECTION_OK) {
        broken_ = true;
    }
    return ec;
}

awaitable<error_code> Connection::wait_until(asio::posix::stream_descriptor::wait_type what) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer deadline(socket_.get_executor(), timeout_);
    error_code ec;
    auto result = co_await (
        socket_.async_wait(what, asio::redirect_error(use_awaitable, ec)) ||
        deadline.async_wait(use_awaitable)
    );
    if (result.index() == 1) {
        co_return make_error_code(Errc::Temp);
    }
    co_return ec;
}

awaitable<void> Connection::cancel_on_server() {
    PGcancel* cancel = PQgetCancel(conn_);
    if (cancel != nullptr) {
        co_await asio::co_spawn(blocking_, cancel_blocking(cancel), use_awaitable);
        PQfreeCancel(cancel);
    }
    broken_ = true;
}

void Connection::collect_notifications() {
    while (PGnotify* n = PQnotifies(conn_)) {
        notifications_.push_back(Notification{n->relname, n->extra});
        PQfreemem(n);
    }
}

awaitable<error_code> Connection::flush() {
    ++round_trips_;
    for (;;) {
        const int flushed = PQflush(conn_);
        if (flushed == 0) {
            co_return error_code{};
        }
        if (flushed < 0) {
            co_return fail(make_error_code(Errc::Unavailable), PQerrorMessage(conn_)).error();
        }
        if (const auto ec = co_await wait_until(asio::posix::stream_descriptor::wait_write)) {
            co_await cancel_on_server();
            co_return fail(make_error_code(Errc::Temp), "timeout while sending a query").error();
        }
    }
}

awaitable<Result<PGresult*>> Connection::next_result() {
    while (PQisBusy(conn_) != 0) {
        if (const auto ec = co_await wait_until(asio::posix::stream_descriptor::wait_read)) {
            co_await cancel_on_server();
            co_return fail(make_error_code(Errc::Temp), "timeout waiting for the database").error();
        }
        if (PQconsumeInput(conn_) == 0) {
            co_return fail(make_error_code(Errc::Unavailable), PQerrorMessage(conn_)).error();
        }
    }
    co_return PQgetResult(conn_);
}

awaitable<Result<PgResult>> Connection::read_results() {
    Result<PgResult> outcome = PgResult{};
    for (;;) {
        auto next = co_await next_result();
        if (!next) {
            co_return next.error();
        }
        if (*next == nullptr) {
            co_return outcome;
        }
        PgResult result(*next);
        const auto status = PQresultStatus(*next);
        if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR ||
            status == PGRES_BAD_RESPONSE || status == PGRES_PIPELINE_ABORTED) {
            if (outcome.has_value()) {
                const char* state = PQresultErrorField(*next, PG_DIAG_SQLSTATE);
                last_error_ = PQresultErrorMessage(*next);
                outcome = make_error_code(errc_from_sqlstate(state != nullptr ? state : ""));
            }
        } else if (outcome.has_value()) {
            outcome = std::move(result);
        }
    }
}

awaitable<Result<PgResult>> Connection::finish_query() {
    if (const auto ec = co_await flush()) {
        co_return ec;
    }
    auto outcome = co_await read_results();
    collect_notifications();
    if (PQstatus(conn_) != CONNECTION_OK) {
        broken_ = true;
    }
    co_return outcome;
}

Result<PgResult> Connection::refuse_nul(const Statement& stmt) {
    spdlog::warn("database: statement {} not sent: a text parameter holds a NUL byte", stmt.name);
    return make_error_code(Errc::InvalidData);
}

bool Connection::send_prepare(const Statement& stmt) {
    const std::string name(stmt.name);
    const std::string sql(stmt.sql);
    return PQsendPrepare(conn_, name.c_str(), sql.c_str(), 0, nullptr) != 0;
}

bool Connection::send_prepared(const Statement& stmt, const Params& params) {
    const std::string name(stmt.name);
    const auto values = params.value_pointers();
    const auto lengths = params.lengths();
    return PQsendQueryPrepared(
               conn_, name.c_str(), params.size(), values.data(), lengths.data(), params.formats(),
               stmt.result_format == ResultFormat::Binary ? 1 : 0
           ) != 0;
}

awaitable<Result<PgResult>> Connection::prepare(const Statement& stmt) {
    if (!send_prepare(stmt)) {
        co_return fail(make_error_code(Errc::Unavailable), PQerrorMessage(conn_));
    }
    auto result = co_await finish_query();
    if (result) {
        prepared_.insert(stmt.name);
    }
    co_return result;
}

awaitable<Result<PgResult>> Connection::execute(const Statement& stmt, const Params& params) {
    if (broken_) {
        co_return make_error_code(Errc::Unavailable);
    }
    if (params.holds_nul()) {
        co_return refuse_nul(stmt);
    }
    if (begin_pending_) {
        const std::array<PipelineStep, 1> step{PipelineStep{stmt, params}};
        auto sent = co_await execute_pipeline(step);
        if (!sent) {
            co_return sent.error;
        }
        co_return std::move(sent.results.front());
    }
    if (!prepared_.contains(stmt.name)) {
        if (auto prepared = co_await prepare(stmt); !prepared) {
            co_return prepared.error();
        }
    }
    if (!send_prepared(stmt, params)) {
        co_return fail(make_error_code(Errc::Unavailable), PQerrorMessage(conn_));
    }
    auto result = co_await finish_query();
    if (!result) {
        spdlog::warn("database: statement {} failed: {}", stmt.name, last_error_);
    }
    co_return result;
}

awaitable<PipelineResults> Connection::execute_pipeline(std::span<const PipelineStep> steps) {
    PipelineResults outcome;
    if (broken_) {
        outcome.error = make_error_code(Errc::Unavailable);
        co_return outcome;
    }
    if (begin_pending_) {
        begin_pending_ = false;
        static const Params kNoParams;
        std::vector<PipelineStep> begun;
        begun.reserve(steps.size() + 1);
        begun.push_back(PipelineStep{sql::kBegin, kNoParams});
        for (const auto& step : steps) {
            begun.push_back(step);
        }
        outcome = co_await execute_pipeline(begun);
        if (!outcome.results.empty()) {
            outcome.results.erase(outcome.results.begin());  // BEGIN's own
        }
        co_return outcome;
    }
    for (const auto& step : steps) {
        if (step.params.holds_nul()) {
            outcome.error = refuse_nul(step.stmt).error();
            co_return outcome;
        }
    }
    if (PQenterPipelineMode(conn_) == 0) {
        outcome.error = fail(make_error_code(Errc::Unavailable), PQerrorMessage(conn_)).error();
        co_return outcome;
    }
    // Statements not yet prepared on this connection are prepared in the same flight, once.
    std::vector<bool> preparing;
    std::unordered_set<std::string_view> prepared_here;
    bool sent = true;
    for (const auto& step : steps) {
        preparing.push_back(
            !prepared_.contains(step.stmt.name) && prepared_here.insert(step.stmt.name).second
        );
        sent = sent && (!preparing.back() || send_prepare(step.stmt));
        sent = sent && send_prepared(step.stmt, step.params);
    }
    if (!sent || PQpipelineSync(conn_) == 0) {
        broken_ = true;  // part of a pipeline may be queued: the connection cannot be reused
        outcome.error = fail(make_error_code(Errc::Unavailable), PQerrorMessage(conn_)).error();
        co_return outcome;
    }
    if (const auto ec = co_await flush()) {
        outcome.error = ec;
        co_return outcome;
    }
    for (std::size_t i = 0; i < steps.size() * 2 && !broken_; ++i) {
        // Two entries per step: its Prepare (when sent) and its Execute.
        const auto& step = steps[i / 2];
        const bool is_prepare = i % 2 == 0;
        if (is_prepare && !preparing[i / 2]) {
            continue;
        }
        auto result = co_await read_results();
        if (!result) {
            if (!outcome.error) {
                spdlog::warn("database: statement {} failed: {}", step.stmt.name, last_error_);
                outcome.error = result.error();
            }
        } else if (is_prepare) {
            prepared_.insert(step.stmt.name);
        } else if (!outcome.error) {
            outcome.results.push_back(std::move(*result));
        }
    }
    if (broken_) {
        if (!outcome.error) {
            outcome.error = make_error_code(Errc::Unavailable);
        }
        co_return outcome;
    }
    auto sync = co_await next_result();
    if (!sync) {
        outcome.error = sync.error();
        co_return outcome;
    }
    const PgResult sync_result(*sync);
    if (*sync == nullptr || PQresultStatus(*sync) != PGRES_PIPELINE_SYNC ||
        PQexitPipelineMode(conn_) == 0) {
        outcome.error = fail(make_error_code(Errc::Unavailable), "pipeline out of step").error();
        co_return outcome;
    }
    collect_notifications();
    co_return outcome;
}

awaitable<Result<PgResult>> Connection::execute_script(std::string_view sql) {
    if (broken_) {
        co_return make_error_code(Errc::Unavailable);
    }
    std::string text(sql);
    if (begin_pending_) {
        begin_pending_ = false;
        text.insert(0, "BEGIN;");
    }
    if (PQsendQuery(conn_, text.c_str()) == 0) {
        co_return fail(make_error_code(Errc::Unavailable), PQerrorMessage(conn_));
    }
    co_return co_await finish_query();
}

awaitable<Result<std::vector<Notification>>> Connection::wait_notifications() {
    while (notifications_.empty()) {
        error_code ec;
        co_await socket_.async_wait(
            asio::posix::stream_descriptor::wait_read, asio::redirect_error(use_awaitable, ec)
        );
        if (ec) {
            co_return ec;
        }
        if (PQconsumeInput(conn_) == 0) {
            broken_ = true;
            last_error_ = PQerrorMessage(conn_);
            co_return make_error_code(Errc::Unavailable);
        }
        collect_notifications();
    }
    co_return std::exchange(notifications_, {});
}

}  // namespace govmail::storage
