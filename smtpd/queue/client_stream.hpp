#pragma once

// The outbound client's connection to a remote SMTP server: TCP that may be upgraded to TLS
// (STARTTLS, RFC 3207). Every operation has its own timeout and the whole session a
// deadline (so a claim's lease cannot run out mid-session); an expired operation fails with
// boost::beast::error::timeout.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace govmail::smtpd {

class ClientStream {
public:
    using Clock = std::chrono::steady_clock;

    ClientStream(boost::asio::any_io_executor ex, Clock::time_point session_deadline);

    // Connects to the first of ENDPOINTS that answers within TIMEOUT (each).
    boost::asio::awaitable<boost::system::error_code> connect(
        const boost::asio::ip::tcp::resolver::results_type& endpoints,
        std::chrono::milliseconds timeout
    );

    // Appends what arrives (at most MAX bytes) to BUFFER.
    boost::asio::awaitable<boost::system::error_code> read_some(
        std::string& buffer, std::size_t max, std::chrono::milliseconds timeout
    );

    boost::asio::awaitable<boost::system::error_code> write(
        std::string_view data, std::chrono::milliseconds timeout
    );

    // Client side of the TLS handshake, sending HOST as SNI; with VERIFY, the certificate
    // must chain to CONTEXT's trust anchors and name HOST.
    boost::asio::awaitable<boost::system::error_code> start_tls(
        boost::asio::ssl::context& context,
        const std::string& host,
        bool verify,
        std::chrono::milliseconds timeout
    );

    boost::asio::awaitable<void> close();

    bool is_tls() const { return tls_ != nullptr; }

private:
    void expire_after(std::chrono::milliseconds timeout);

    boost::beast::tcp_stream tcp_;
    std::unique_ptr<boost::asio::ssl::stream<boost::beast::tcp_stream&>> tls_;
    Clock::time_point session_deadline_;
};

// The outbound TLS context: TLS 1.2 or later; with VERIFY the system's trust anchors are
// loaded for checking servers' certificates.
boost::asio::ssl::context make_client_tls_context(bool verify);

}  // namespace govmail::smtpd
