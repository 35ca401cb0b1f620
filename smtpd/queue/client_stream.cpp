#include "smtpd/queue/client_stream.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace govmail::smtpd {
namespace asio = boost::asio;
using asio::awaitable;
using boost::system::error_code;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
}

ClientStream::ClientStream(asio::any_io_executor ex, Clock::time_point session_deadline)
    : tcp_(std::move(ex)), session_deadline_(session_deadline) {}

void ClientStream::expire_after(std::chrono::milliseconds timeout) {
    tcp_.expires_at(std::min(Clock::now() + timeout, session_deadline_));
}

awaitable<error_code> ClientStream::connect(
    const asio::ip::tcp::resolver::results_type& endpoints, std::chrono::milliseconds timeout
) {
    error_code ec = asio::error::host_not_found;
    for (const auto& entry : endpoints) {
        tcp_.close();
        expire_after(timeout);
        std::tie(ec) = co_await tcp_.async_connect(entry.endpoint(), kTuple);
        if (!ec) {
            break;
        }
    }
    co_return ec;
}

awaitable<error_code> ClientStream::read_some(
    std::string& buffer, std::size_t max, std::chrono::milliseconds timeout
) {
    const auto old_size = buffer.size();
    buffer.resize(old_size + max);
    const auto target = asio::buffer(buffer.data() + old_size, max);
    expire_after(timeout);
    error_code ec;
    std::size_t n = 0;
    if (tls_) {
        std::tie(ec, n) = co_await tls_->async_read_some(target, kTuple);
    } else {
        std::tie(ec, n) = co_await tcp_.async_read_some(target, kTuple);
    }
    buffer.resize(old_size + n);
    co_return ec;
}

awaitable<error_code> ClientStream::write(
    std::string_view data, std::chrono::milliseconds timeout
) {
    expire_after(timeout);
    error_code ec;
    std::size_t n = 0;
    if (tls_) {
        std::tie(ec, n) = co_await asio::async_write(*tls_, asio::buffer(data), kTuple);
    } else {
        std::tie(ec, n) = co_await asio::async_write(tcp_, asio::buffer(data), kTuple);
    }
    co_return ec;
}

awaitable<error_code> ClientStream::start_tls(
    asio::ssl::context& context,
    const std::string& host,
    bool verify,
    std::chrono::milliseconds timeout
) {
    tls_ = std::make_unique<asio::ssl::stream<boost::beast::tcp_stream&>>(tcp_, context);
    SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
    if (verify) {
        tls_->set_verify_mode(asio::ssl::verify_peer);
        tls_->set_verify_callback(asio::ssl::host_name_verification(host));
    }
    expire_after(timeout);
    const auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, kTuple);
    co_return ec;
}

awaitable<void> ClientStream::close() {
    if (tls_) {
        expire_after(std::chrono::seconds(2));
        co_await tls_->async_shutdown(kTuple);
    }
    error_code ignored;
    tcp_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp_.close();
}

asio::ssl::context make_client_tls_context(bool verify) {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_options(ctx.native_handle(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    if (verify) {
        ctx.set_default_verify_paths();
    }
    return ctx;
}

}  // namespace govmail::smtpd
