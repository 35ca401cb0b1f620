#pragma once

// A bounded pool of PostgreSQL connections shared by all sessions of a daemon. Each of its
// SIZE slots holds an open connection or nothing (opened on demand); a coroutine that finds
// every slot taken waits in line. A connection that broke is dropped and its slot reopened
// by the next user, and so is one the server closed while it sat idle (a database restart);
// one returned inside a transaction is rolled back before reuse.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "storage/pg/connection.hpp"

namespace govmail::storage {

class Pool;

// Exclusive use of one connection; gives it back to the pool when destroyed.
class PooledConnection {
public:
    PooledConnection(Pool& pool, std::unique_ptr<Connection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    PooledConnection(PooledConnection&& other) noexcept = default;
    PooledConnection& operator=(PooledConnection&&) = delete;
    PooledConnection(const PooledConnection&) = delete;
    ~PooledConnection();

    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() const { return *conn_; }

private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
};

struct PoolOptions {
    std::string dsn;
    std::size_t size = 8;
    std::chrono::milliseconds query_timeout{30'000};
    // How long a session waits to learn whether a COMMIT whose reply was lost took effect
    // (commit.hpp): a database restart, shutdown to recovery, takes a few seconds; an SMTP
    // client waits minutes for the reply to DATA (RFC 5321 4.5.3.2.6), an IMAP client about a
    // minute for an APPEND.
    std::chrono::milliseconds commit_patience{20'000};
};

class Pool {
public:
    Pool(boost::asio::any_io_executor ex, PoolOptions options);

    boost::asio::awaitable<Result<PooledConnection>> acquire();

    const PoolOptions& options() const { return options_; }
    boost::asio::thread_pool& blocking() { return blocking_; }

private:
    friend class PooledConnection;
    using Slots = boost::asio::experimental::concurrent_channel<
        void(boost::system::error_code, std::unique_ptr<Connection>)>;

    void release(std::unique_ptr<Connection> conn);

    boost::asio::any_io_executor executor_;
    PoolOptions options_;
    boost::asio::thread_pool blocking_{2};
    Slots slots_;
};

}  // namespace govmail::storage
