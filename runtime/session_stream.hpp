#pragma once

// The byte stream of one client session: a TCP socket that may be upgraded to TLS in place
// (STARTTLS) or start with TLS (implicit-TLS ports). Every read has a deadline; a read that
// passes it fails with boost::asio::error::timed_out.
//
// TLS is OpenSSL driven directly on the non-blocking socket (no asio::ssl::stream, whose two
// record-sized buffers and BIO pair stay allocated for the life of the connection), with
// SSL_MODE_RELEASE_BUFFERS; and a read waits for the socket before it takes a buffer. So a
// session waiting for its client (thousands of IDLE sessions) holds no I/O buffer at all.

#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace govmail {

class SessionStream {
public:
    explicit SessionStream(boost::asio::ip::tcp::socket socket);

    using Clock = std::chrono::steady_clock;

    // Reads what is available into BUFFER (at most MAX bytes appended), waiting until
    // DEADLINE. Returns the number of bytes read; 0 with EC set on EOF, error or timeout.
    boost::asio::awaitable<std::size_t> read_some(
        std::string& buffer,
        std::size_t max,
        Clock::time_point deadline,
        boost::system::error_code& ec
    );

    boost::asio::awaitable<void> write(std::string_view data, boost::system::error_code& ec);

    // Performs the server side of a TLS handshake on the socket, within TIMEOUT.
    boost::asio::awaitable<void> start_tls(
        boost::asio::ssl::context& context,
        std::chrono::seconds timeout,
        boost::system::error_code& ec
    );

    // Sends close_notify (when TLS) and closes the socket.
    boost::asio::awaitable<void> close();

    bool is_tls() const { return tls_ != nullptr; }
    // The TLS session (protocol, cipher, peer certificate) or nullptr before TLS.
    SSL* tls_handle() const { return tls_.get(); }
    // "TLSv1.3 TLS_AES_256_GCM_SHA384", for Received headers and logs; empty without TLS.
    std::string tls_description() const;
    const boost::asio::ip::address& peer_address() const { return peer_; }
    boost::asio::any_io_executor get_executor() { return socket_.get_executor(); }

private:
    using WaitType = boost::asio::socket_base::wait_type;
    struct SslFree {
        void operator()(SSL* ssl) const { SSL_free(ssl); }
    };

    // One non-blocking read into DATA: the bytes read, or 0 with what to wait for (EC set on
    // EOF or error).
    std::size_t read_now(
        char* data, std::size_t max, WaitType& wait, boost::system::error_code& ec
    );
    std::size_t write_now(std::string_view data, WaitType& wait, boost::system::error_code& ec);
    // Waits until the socket is ready for WAIT; EC is timed_out once DEADLINE passes.
    boost::asio::awaitable<void> wait_ready(
        WaitType wait, Clock::time_point deadline, boost::system::error_code& ec
    );

    boost::asio::ip::tcp::socket socket_;
    std::unique_ptr<SSL, SslFree> tls_;
    boost::asio::ip::address peer_;
};

}  // namespace govmail
