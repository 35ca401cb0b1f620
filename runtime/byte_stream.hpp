#pragma once

// The byte stream under one client session as the session loop (session_loop.hpp) uses it:
// SessionStream over a TCP socket in the daemons, an in-memory stream in the session tests.
// Every read has a deadline; a read that passes it fails with boost::asio::error::timed_out.

#include <openssl/ssl.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <string>
#include <string_view>

namespace govmail {

class ByteStream {
public:
    using Clock = std::chrono::steady_clock;

    virtual ~ByteStream() = default;

    // Reads what is available into BUFFER (at most MAX bytes appended), waiting until
    // DEADLINE. Returns the number of bytes read; 0 with EC set on EOF, error or timeout.
    virtual boost::asio::awaitable<std::size_t> read_some(
        std::string& buffer,
        std::size_t max,
        Clock::time_point deadline,
        boost::system::error_code& ec
    ) = 0;

    virtual boost::asio::awaitable<void> write(
        std::string_view data, boost::system::error_code& ec
    ) = 0;

    // Performs the server side of a TLS handshake on the stream, within TIMEOUT.
    virtual boost::asio::awaitable<void> start_tls(
        boost::asio::ssl::context& context,
        std::chrono::seconds timeout,
        boost::system::error_code& ec
    ) = 0;

    // Sends close_notify (when TLS) and closes the stream.
    virtual boost::asio::awaitable<void> close() = 0;

    virtual bool is_tls() const = 0;
    // The TLS session (protocol, cipher, peer certificate) or nullptr before TLS.
    virtual SSL* tls_handle() const = 0;
    // "TLSv1.3 TLS_AES_256_GCM_SHA384", for Received headers and logs; empty without TLS.
    virtual std::string tls_description() const = 0;
    virtual const boost::asio::ip::address& peer_address() const = 0;
    virtual boost::asio::any_io_executor get_executor() = 0;

protected:
    ByteStream() = default;
    ByteStream(const ByteStream&) = default;
    ByteStream(ByteStream&&) = default;
    ByteStream& operator=(const ByteStream&) = default;
    ByteStream& operator=(ByteStream&&) = default;
};

}  // namespace govmail
