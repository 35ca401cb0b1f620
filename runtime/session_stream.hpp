#pragma once

// The byte stream of one client session (byte_stream.hpp): a TCP socket that may be upgraded
// to TLS in place (STARTTLS) or start with TLS (implicit-TLS ports). Every read has a
// deadline; a read that passes it fails with boost::asio::error::timed_out.
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

#include "runtime/byte_stream.hpp"

namespace govmail {

class SessionStream final : public ByteStream {
public:
    explicit SessionStream(boost::asio::ip::tcp::socket socket);

    boost::asio::awaitable<std::size_t> read_some(
        std::string& buffer,
        std::size_t max,
        Clock::time_point deadline,
        boost::system::error_code& ec
    ) override;

    boost::asio::awaitable<void> write(std::string_view data, boost::system::error_code& ec)
        override;

    boost::asio::awaitable<void> start_tls(
        boost::asio::ssl::context& context,
        std::chrono::seconds timeout,
        boost::system::error_code& ec
    ) override;

    boost::asio::awaitable<void> close() override;

    bool is_tls() const override { return tls_ != nullptr; }
    SSL* tls_handle() const override { return tls_.get(); }
    std::string tls_description() const override;
    const boost::asio::ip::address& peer_address() const override { return peer_; }
    boost::asio::any_io_executor get_executor() override { return socket_.get_executor(); }

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
