#pragma once

// An in-memory client for session tests (STYLE.md "Session tests"): the client's bytes in the
// chunks it sends them, each chunk what one read returns, and every byte the server wrote,
// with what it wrote before a STARTTLS handshake kept apart. Implements the stream the
// session loop reads (runtime/byte_stream.hpp), so a session runs without sockets.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <string>
#include <vector>

#include "runtime/byte_stream.hpp"

namespace govmail::test {

struct FakeClient {
    std::vector<std::string> sends;  // what the client sends, one read each
    // After the last chunk: true keeps the client silent until the read deadline passes,
    // false ends the stream (the client closed it).
    bool silent_at_end = false;

    std::string received;             // every byte the server wrote
    std::string received_before_tls;  // what it wrote before the TLS handshake began
    bool tls_started = false;
    bool closed = false;  // the server closed the stream
};

class FakeStream final : public ByteStream {
public:
    // With TLS the stream starts with TLS, as on an implicit-TLS port.
    FakeStream(boost::asio::any_io_executor ex, FakeClient& client, bool tls = false);

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

    bool is_tls() const override { return tls_; }
    SSL* tls_handle() const override { return nullptr; }
    std::string tls_description() const override { return tls_ ? "TLSv1.3 FAKE" : ""; }
    const boost::asio::ip::address& peer_address() const override { return peer_; }
    boost::asio::any_io_executor get_executor() override { return executor_; }

private:
    boost::asio::any_io_executor executor_;
    FakeClient& client_;
    std::size_t next_send_ = 0;
    bool tls_ = false;
    boost::asio::ip::address peer_;
};

// Runs SESSION on IOC until it ends; WHILE_OPEN, when set, is called 50 ms after the start
// (to shut the daemon down while the session waits for its client, say).
void run_session(
    boost::asio::io_context& ioc,
    boost::asio::awaitable<void> session,
    const std::function<void()>& while_open = {}
);

}  // namespace govmail::test
