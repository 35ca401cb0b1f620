#pragma once

// One PostgreSQL connection driven asynchronously on Asio: libpq in non-blocking mode, its
// socket watched by a stream_descriptor, every query bounded by a deadline (after which the
// server is asked to cancel and the connection is marked broken). Used by one coroutine at
// a time; the pool hands it out.

#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/result.hpp"
#include "storage/pg/params.hpp"
#include "storage/pg/pg_result.hpp"
#include "storage/pg/statement.hpp"

namespace govmail::storage {

// One statement of a pipeline: both references must outlive the call.
struct PipelineStep {
    const Statement& stmt;
    const Params& params;
};

// What a pipeline returned: the results of the steps that completed, in order, up to the first
// failure, and that failure (none when every step and the closing sync succeeded). Steps can
// complete before a failure of the connection: a COMMIT whose reply arrived has committed.
struct PipelineResults {
    std::vector<PgResult> results;
    boost::system::error_code error;

    explicit operator bool() const { return !error; }
};

struct Notification {
    std::string channel;
    std::string payload;
};

class Connection {
public:
    // Connects on BLOCKING (libpq's connect may block on DNS and files), then continues on EX.
    static boost::asio::awaitable<Result<std::unique_ptr<Connection>>> open(
        boost::asio::any_io_executor ex,
        std::string dsn,
        boost::asio::thread_pool& blocking,
        std::chrono::milliseconds timeout
    );

    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs a prepared statement, preparing it first if this connection has not yet.
    boost::asio::awaitable<Result<PgResult>> execute(const Statement& stmt, const Params& params);

    // Sends STEPS in one flight (libpq pipeline mode: one write, one wait for all results) and
    // returns their results in order; after a failing step the server skips the remaining
    // steps, so a transaction begun by a step is left aborted.
    boost::asio::awaitable<PipelineResults> execute_pipeline(std::span<const PipelineStep> steps);

    // Runs SQL text without parameters, possibly several statements (BEGIN, migrations).
    boost::asio::awaitable<Result<PgResult>> execute_script(std::string_view sql);

    // Starts a transaction without a round trip of its own: BEGIN goes in the same flight as
    // whatever is sent next (a statement, a pipeline or a script), and fails with it.
    void begin_with_next_flight() { begin_pending_ = true; }
    // Flights sent so far: each is one write and one wait for the server (a round trip).
    std::uint64_t round_trips() const { return round_trips_; }

    // Waits until at least one notification (LISTEN) arrives, then returns all pending.
    boost::asio::awaitable<Result<std::vector<Notification>>> wait_notifications();

    bool broken() const { return broken_; }
    // Checks, without blocking, whether the server closed this idle connection meanwhile (a
    // restart, a terminated backend): if so marks it broken and returns false. An idle
    // connection's socket has nothing to read unless the server hung up or sent a notice.
    bool still_open();
    // Inside a transaction, or one is to begin with the next flight.
    bool in_transaction() const;
    // The server's message for the last failure, for logs only (never to clients).
    const std::string& last_error() const { return last_error_; }

private:
    Connection(
        boost::asio::any_io_executor ex,
        PGconn* conn,
        boost::asio::thread_pool& blocking,
        std::chrono::milliseconds timeout
    );

    boost::asio::awaitable<Result<PgResult>> prepare(const Statement& stmt);
    bool send_prepare(const Statement& stmt);
    bool send_prepared(const Statement& stmt, const Params& params);
    // STMT's parameters hold a NUL byte in a text value, which libpq would cut there: not
    // sent, InvalidData (storage/pg/params.hpp).
    static Result<PgResult> refuse_nul(const Statement& stmt);
    // Flushes the sent query and collects its results; the last result is returned, the
    // first error wins.
    boost::asio::awaitable<Result<PgResult>> finish_query();
    // Sends what libpq holds; an error (and a broken connection) when that fails.
    boost::asio::awaitable<boost::system::error_code> flush();
    // Waits until the next result is ready and takes it (null after each query's last result).
    boost::asio::awaitable<Result<PGresult*>> next_result();
    // Collects the results of one query up to its null: the last one, or the first error.
    boost::asio::awaitable<Result<PgResult>> read_results();
    // Waits for the socket to be readable or writable, or the query deadline to pass (Temp).
    boost::asio::awaitable<boost::system::error_code> wait_until(
        boost::asio::posix::stream_descriptor::wait_type what
    );
    boost::asio::awaitable<void> cancel_on_server();
    Result<PgResult> fail(boost::system::error_code ec, std::string message);
    void collect_notifications();

    PGconn* conn_;
    boost::asio::posix::stream_descriptor socket_;
    boost::asio::thread_pool& blocking_;
    std::chrono::milliseconds timeout_;
    std::unordered_set<std::string_view> prepared_;
    std::vector<Notification> notifications_;
    std::string last_error_;
    std::uint64_t round_trips_ = 0;
    bool begin_pending_ = false;
    bool broken_ = false;
};

}  // namespace govmail::storage
