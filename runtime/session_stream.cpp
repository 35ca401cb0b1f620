#include "runtime/session_stream.hpp"

#include <openssl/err.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>

#include "runtime/socket_bio.hpp"

namespace govmail {
namespace asio = boost::asio;
using asio::awaitable;
using boost::system::error_code;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kCloseNotifyTimeout = std::chrono::seconds(2);

error_code openssl_error() {
    const auto code = ERR_get_error();
    if (code == 0) {
        return asio::error::no_memory;
    }
    return {static_cast<int>(code), asio::error::get_ssl_category()};
}

// What the OpenSSL I/O call on SSL that returned RC (<= 0) waits for before it is repeated;
// EC is set instead when it cannot be repeated (end of stream or error).
asio::socket_base::wait_type tls_retry(SSL* ssl, int rc, error_code& ec) {
    switch (SSL_get_error(ssl, rc)) {
        case SSL_ERROR_WANT_READ:
            return asio::socket_base::wait_read;
        case SSL_ERROR_WANT_WRITE:
            return asio::socket_base::wait_write;
        case SSL_ERROR_ZERO_RETURN:
            ec = asio::error::eof;
            break;
        case SSL_ERROR_SYSCALL:
            ec = errno != 0 ? error_code(errno, boost::system::system_category())
                            : error_code(asio::error::eof);
            break;
        default:
            ec = openssl_error();
            break;
    }
    return asio::socket_base::wait_read;
}

bool would_block(const error_code& ec) {
    return ec == asio::error::would_block || ec == asio::error::try_again;
}

}  // namespace

SessionStream::SessionStream(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {
    error_code ec;
    const auto endpoint = socket_.remote_endpoint(ec);
    if (!ec) {
        peer_ = endpoint.address();
    }
    socket_.non_blocking(true, ec);
}

std::size_t SessionStream::read_now(char* data, std::size_t max, WaitType& wait, error_code& ec) {
    wait = asio::socket_base::wait_read;
    if (!tls_) {
        const auto n = socket_.read_some(asio::buffer(data, max), ec);
        if (would_block(ec)) {
            ec.clear();
        }
        return n;
    }
    ERR_clear_error();
    std::size_t n = 0;
    const int rc = SSL_read_ex(tls_.get(), data, max, &n);
    if (rc <= 0) {
        wait = tls_retry(tls_.get(), rc, ec);
    }
    return n;
}

std::size_t SessionStream::write_now(std::string_view data, WaitType& wait, error_code& ec) {
    wait = asio::socket_base::wait_write;
    if (!tls_) {
        const auto n = socket_.write_some(asio::buffer(data), ec);
        if (would_block(ec)) {
            ec.clear();
        }
        return n;
    }
    ERR_clear_error();
    std::size_t n = 0;
    const int rc = SSL_write_ex(tls_.get(), data.data(), data.size(), &n);
    if (rc <= 0) {
        wait = tls_retry(tls_.get(), rc, ec);
    }
    return n;
}

awaitable<void> SessionStream::wait_ready(
    WaitType wait, Clock::time_point deadline, error_code& ec
) {
    if (deadline == Clock::time_point::max()) {
        std::tie(ec) = co_await socket_.async_wait(wait, kTuple);
        co_return;
    }
    asio::steady_timer timer(socket_.get_executor(), deadline);
    auto ready = co_await (socket_.async_wait(wait, kTuple) || timer.async_wait(kTuple));
    if (ready.index() == 1) {
        ec = asio::error::timed_out;
    } else {
        std::tie(ec) = std::get<0>(ready);
    }
}

awaitable<std::size_t> SessionStream::read_some(
    std::string& buffer, std::size_t max, Clock::time_point deadline, error_code& ec
) {
    for (;;) {
        const auto old_size = buffer.size();
        buffer.resize(old_size + max);
        WaitType wait{};
        const auto n = read_now(buffer.data() + old_size, max, wait, ec);
        buffer.resize(old_size + n);
        if (n > 0 || ec) {
            co_return n;
        }
        // Nothing to read yet: wait without a read buffer, so thousands of idle sessions do not
        // hold MAX bytes each.
        if (buffer.empty()) {
            buffer.shrink_to_fit();
        }
        co_await wait_ready(wait, deadline, ec);
        if (ec) {
            co_return 0;
        }
    }
}

awaitable<void> SessionStream::write(std::string_view data, error_code& ec) {
    while (!data.empty()) {
        WaitType wait{};
        data.remove_prefix(write_now(data, wait, ec));
        if (ec) {
            co_return;
        }
        if (!data.empty()) {
            co_await wait_ready(wait, Clock::time_point::max(), ec);
            if (ec) {
                co_return;
            }
        }
    }
}

awaitable<void> SessionStream::start_tls(
    asio::ssl::context& context, std::chrono::seconds timeout, error_code& ec
) {
    const auto deadline = Clock::now() + timeout;
    ERR_clear_error();
    tls_.reset(SSL_new(context.native_handle()));
    BIO* bio = tls_ ? new_socket_bio(socket_.native_handle()) : nullptr;
    if (bio == nullptr) {
        tls_.reset();
        ec = openssl_error();
        co_return;
    }
    SSL_set_bio(tls_.get(), bio, bio);
    // RELEASE_BUFFERS: the record buffers (~34 KiB) are freed whenever they are empty.
    SSL_set_mode(
        tls_.get(), SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                        SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
    );
    SSL_set_accept_state(tls_.get());
    for (;;) {
        ERR_clear_error();
        const int rc = SSL_do_handshake(tls_.get());
        if (rc == 1) {
            co_return;
        }
        const auto wait = tls_retry(tls_.get(), rc, ec);
        if (ec) {
            co_return;
        }
        co_await wait_ready(wait, deadline, ec);
        if (ec) {
            co_return;
        }
    }
}

awaitable<void> SessionStream::close() {
    if (tls_ && SSL_is_init_finished(tls_.get())) {
        // Sends close_notify; the client's own close_notify is not waited for.
        const auto deadline = Clock::now() + kCloseNotifyTimeout;
        for (;;) {
            ERR_clear_error();
            const int rc = SSL_shutdown(tls_.get());
            if (rc >= 0) {
                break;
            }
            error_code ec;
            const auto wait = tls_retry(tls_.get(), rc, ec);
            if (ec || wait != asio::socket_base::wait_write) {
                break;
            }
            co_await wait_ready(wait, deadline, ec);
            if (ec) {
                break;
            }
        }
    }
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

std::string SessionStream::tls_description() const {
    if (!tls_) {
        return {};
    }
    return std::string(SSL_get_version(tls_.get())) + " " + SSL_get_cipher_name(tls_.get());
}

}  // namespace govmail
