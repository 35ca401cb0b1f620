#include "common/session_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace govmail {
namespace asio = boost::asio;
using asio::awaitable;
using boost::system::error_code;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
}

SessionStream::SessionStream(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {
    error_code ec;
    const auto endpoint = socket_.remote_endpoint(ec);
    if (!ec) {
        peer_ = endpoint.address();
    }
}

awaitable<std::size_t> SessionStream::read_some(
    std::string& buffer, std::size_t max, Clock::time_point deadline, error_code& ec
) {
    asio::steady_timer timer(socket_.get_executor(), deadline);
    if (!tls_) {
        // An idle session waits without a read buffer: thousands of idle connections would
        // otherwise hold MAX bytes each. (TLS keeps its own record buffers in any case.)
        if (buffer.empty()) {
            buffer.shrink_to_fit();
        }
        auto ready = co_await (
            socket_.async_wait(asio::socket_base::wait_read, kTuple) || timer.async_wait(kTuple)
        );
        if (ready.index() == 1) {
            ec = asio::error::timed_out;
            co_return 0;
        }
        std::tie(ec) = std::get<0>(ready);
        if (ec) {
            co_return 0;
        }
    }
    const auto old_size = buffer.size();
    buffer.resize(old_size + max);
    auto target = asio::buffer(buffer.data() + old_size, max);
    std::variant<std::tuple<error_code, std::size_t>, std::tuple<error_code>> result;
    if (tls_) {
        result = co_await (tls_->async_read_some(target, kTuple) || timer.async_wait(kTuple));
    } else {
        result = co_await (socket_.async_read_some(target, kTuple) || timer.async_wait(kTuple));
    }
    std::size_t n = 0;
    if (result.index() == 1) {
        ec = asio::error::timed_out;
    } else {
        std::tie(ec, n) = std::get<0>(result);
    }
    buffer.resize(old_size + n);
    co_return n;
}

awaitable<void> SessionStream::write(std::string_view data, error_code& ec) {
    std::size_t n = 0;
    if (tls_) {
        std::tie(ec, n) = co_await asio::async_write(*tls_, asio::buffer(data), kTuple);
    } else {
        std::tie(ec, n) = co_await asio::async_write(socket_, asio::buffer(data), kTuple);
    }
}

awaitable<void> SessionStream::start_tls(
    asio::ssl::context& context, std::chrono::seconds timeout, error_code& ec
) {
    tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, context);
    asio::steady_timer timer(socket_.get_executor(), timeout);
    auto result = co_await (
        tls_->async_handshake(asio::ssl::stream_base::server, kTuple) || timer.async_wait(kTuple)
    );
    if (result.index() == 1) {
        ec = asio::error::timed_out;
    } else {
        std::tie(ec) = std::get<0>(result);
    }
}

awaitable<void> SessionStream::close() {
    if (tls_) {
        asio::steady_timer timer(socket_.get_executor(), std::chrono::seconds(2));
        co_await (tls_->async_shutdown(kTuple) || timer.async_wait(kTuple));
    }
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

std::string SessionStream::tls_description() const {
    if (!tls_) {
        return {};
    }
    SSL* ssl = tls_->native_handle();
    return std::string(SSL_get_version(ssl)) + " " + SSL_get_cipher_name(ssl);
}

}  // namespace govmail
