#include "common/session_stream.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "common/dev_certificates.hpp"
#include "common/tls.hpp"

namespace govmail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A TLS server whose sessions answer "ping\n" with REPLY_BYTES bytes, then close the session
// (CLOSE_AFTER_REPLY) or wait for the client to close it. It runs on a thread of its own, or
// (OWN_THREAD false) only within run_for().
class TlsEchoServer {
public:
    explicit TlsEchoServer(
        std::size_t reply_bytes, bool close_after_reply = false, bool own_thread = true
    )
        : dir_(
              std::filesystem::temp_directory_path() /
              ("session_stream_test." + std::to_string(::getpid()))
          ),
          certificates_(ensure_dev_certificates(dir_, "localhost")),
          context_(make_server_tls_context(
              {certificates_.server_certificate, certificates_.server_key, {}}
          )),
          acceptor_(ioc_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
          reply_(reply_bytes, 'x'),
          close_after_reply_(close_after_reply) {
        asio::co_spawn(ioc_, accept_loop(), asio::detached);
        if (own_thread) {
            thread_ = std::thread([this] { ioc_.run(); });
        }
    }
    ~TlsEchoServer() {
        ioc_.stop();
        if (thread_.joinable()) {
            thread_.join();
        }
        std::filesystem::remove_all(dir_);
    }

    void run_for(std::chrono::milliseconds time) { ioc_.run_for(time); }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    // How many sessions failed to write their reply.
    int write_failures() const { return write_failures_; }

private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
            asio::co_spawn(ioc_, serve(SessionStream(std::move(socket))), asio::detached);
        }
    }

    asio::awaitable<void> serve(SessionStream stream) {
        boost::system::error_code ec;
        co_await stream.start_tls(context_, 10s, ec);
        std::string input;
        while (!ec && input.find('\n') == std::string::npos) {
            co_await stream.read_some(input, 16 * 1024, SessionStream::Clock::now() + 10s, ec);
        }
        if (ec) {
            co_return;
        }
        co_await stream.write(reply_, ec);
        if (ec) {
            ++write_failures_;
            co_return;
        }
        input.clear();
        while (!ec && !close_after_reply_) {
            co_await stream.read_some(input, 16 * 1024, SessionStream::Clock::now() + 60s, ec);
        }
        co_await stream.close();
    }

    std::filesystem::path dir_;
    DevCertificatePaths certificates_;
    asio::io_context ioc_;
    asio::ssl::context context_;
    tcp::acceptor acceptor_;
    std::string reply_;
    bool close_after_reply_;
    std::atomic<int> write_failures_{0};
    std::thread thread_;
};

// A blocking OpenSSL client on a plain socket that keeps as little memory as OpenSSL allows.
class TlsClient {
public:
    explicit TlsClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        static SSL_CTX* const context = SSL_CTX_new(TLS_client_method());
        ssl_.reset(SSL_new(context));
        SSL_set_mode(ssl_.get(), SSL_MODE_RELEASE_BUFFERS);
        SSL_set_fd(ssl_.get(), fd_);
        EXPECT_EQ(SSL_connect(ssl_.get()), 1);
    }
    ~TlsClient() {
        ssl_.reset();
        ::close(fd_);
    }
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    bool send_ping() { return SSL_write(ssl_.get(), "ping\n", 5) == 5; }

    // Sends "ping\n" and reads BYTES of reply; false when the server ended the session.
    bool ping(std::size_t bytes) {
        if (!send_ping()) {
            return false;
        }
        std::vector<char> buffer(16 * 1024);
        for (std::size_t got = 0; got < bytes;) {
            const int n = SSL_read(ssl_.get(), buffer.data(), static_cast<int>(buffer.size()));
            if (n <= 0) {
                return false;
            }
            got += static_cast<std::size_t>(n);
        }
        return true;
    }

    // True when the server's close_notify arrives next.
    bool closed_by_server() {
        char byte = 0;
        const int n = SSL_read(ssl_.get(), &byte, 1);
        return n <= 0 && SSL_get_error(ssl_.get(), n) == SSL_ERROR_ZERO_RETURN;
    }

private:
    struct SslFree {
        void operator()(SSL* ssl) const { SSL_free(ssl); }
    };
    int fd_;
    std::unique_ptr<SSL, SslFree> ssl_;
};

TEST(SessionStream, CarriesALargeReplyOverTls) {
    constexpr std::size_t kReply = 300 * 1024;  // many records, more than the socket buffer
    TlsEchoServer server(kReply);
    TlsClient client(server.port());
    EXPECT_TRUE(client.ping(kReply));
    EXPECT_EQ(server.write_failures(), 0);
}

TEST(SessionStream, WritingToAClientThatLeftIsAnErrorNotASignal) {
    // The reply outgrows the socket buffers, so the server is still writing when the client
    // has gone: EPIPE or ECONNRESET, never SIGPIPE (which would end this test process).
    TlsEchoServer server(64 * 1024 * 1024);
    {
        TlsClient client(server.port());
        ASSERT_TRUE(client.send_ping());
    }
    for (int i = 0; i < 100 && server.write_failures() == 0; ++i) {
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(server.write_failures(), 1);
}

TEST(SessionStream, CloseSendsCloseNotify) {
    TlsEchoServer server(10, true);
    TlsClient client(server.port());
    ASSERT_TRUE(client.ping(10));
    EXPECT_TRUE(client.closed_by_server());
}

}  // namespace
}  // namespace govmail
