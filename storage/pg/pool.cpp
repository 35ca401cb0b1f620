#include "storage/pg/pool.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "storage/pg/errc.hpp"

namespace govmail::storage {
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

PooledConnection::~PooledConnection() {
    if (pool_ != nullptr && conn_ != nullptr) {
        pool_->release(std::move(conn_));
    }
}

Pool::Pool(asio::any_io_executor ex, PoolOptions options)
    : executor_(ex), options_(std::move(options)), slots_(ex, options_.size) {
    for (std::size_t i = 0; i < options_.size; ++i) {
        slots_.try_send(boost::system::error_code{}, nullptr);
    }
}

void Pool::release(std::unique_ptr<Connection> conn) {
    if (conn->broken()) {
        conn.reset();
    }
    // Never fails: there are exactly as many slots as the channel holds.
    slots_.try_send(boost::system::error_code{}, std::move(conn));
}

awaitable<Result<PooledConnection>> Pool::acquire() {
    boost::system::error_code ec;
    auto conn = co_await slots_.async_receive(asio::redirect_error(use_awaitable, ec));
    if (ec) {
        co_return make_error_code(Errc::Unavailable);
    }
    if (conn != nullptr && !conn->still_open()) {
        // Closed by the server while idle in the pool (say a database restart): a query
        // on it would fail although the database is back, so open a fresh one instead.
        conn.reset();
    }
    if (conn != nullptr && conn->in_transaction()) {
        // Left inside a transaction by a caller that did not commit: undo it.
        const auto rolled_back = co_await conn->execute_script("ROLLBACK");
        if (!rolled_back) {
            conn.reset();
        }
    }
    if (conn == nullptr) {
        auto opened =
            co_await Connection::open(executor_, options_.dsn, blocking_, options_.query_timeout);
        if (!opened) {
            slots_.try_send(boost::system::error_code{}, nullptr);
            co_return opened.error();
        }
        conn = std::move(*opened);
    }
    co_return PooledConnection(*this, std::move(conn));
}

}  // namespace govmail::storage
