#include "runtime/session_stream.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <malloc.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/wait.h>
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
#include "runtime/tls.hpp"

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

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// The clients of the memory test, in a child process so that none of their memory is counted:
// a warm-up session, then SESSIONS idle ones, each step reported on TO_SERVER ('w', 'c') and
// the end awaited on FROM_SERVER. Exits 0 when every session answered.
[[noreturn]] void run_idle_clients(
    std::uint16_t port, int sessions, int to_server, int from_server
) {
    bool answered = TlsClient(port).ping(100);  // OpenSSL's one-time tables, the session cache
    char step = 'w';
    answered = ::write(to_server, &step, 1) == 1 && answered;
    answered = ::read(from_server, &step, 1) == 1 && answered;
    std::vector<std::unique_ptr<TlsClient>> idle;
    for (int i = 0; i < sessions; ++i) {
        idle.push_back(std::make_unique<TlsClient>(port));
        answered = idle.back()->ping(100) && answered;
    }
    step = 'c';
    answered = ::write(to_server, &step, 1) == 1 && answered;
    answered = ::read(from_server, &step, 1) == 1 && answered;
    ::_exit(answered ? 0 : 1);
}

TEST(SessionStream, IdleTlsSessionsHoldNoRecordBuffers) {
    // asio::ssl::stream keeps two 17 KiB buffers and a 2 x 17 KiB BIO pair per connection and
    // OpenSSL its record buffers: over 100 KiB per idle session before. Now an SSL object
    // (~15 KiB) and a few hundred bytes. The server runs on this thread, so mallinfo2 (the main
    // arena) sees its allocations; the clients run in a child process.
    constexpr int kSessions = 40;
    TlsEchoServer server(100, false, false);
    int to_server[2];
    int from_server[2];
    ASSERT_EQ(::pipe(to_server), 0);
    ASSERT_EQ(::pipe(from_server), 0);
    const pid_t clients = ::fork();
    ASSERT_GE(clients, 0);
    if (clients == 0) {
        run_idle_clients(server.port(), kSessions, to_server[1], from_server[0]);
    }
    ::fcntl(to_server[0], F_SETFL, O_NONBLOCK);
    // Serves until the clients report STEP (or the child ended without it).
    auto serve_until = [&](char step) {
        char got = 0;
        while (::read(to_server[0], &got, 1) != 1 || got != step) {
            server.run_for(10ms);
            if (::waitpid(clients, nullptr, WNOHANG) == clients) {
                return false;
            }
        }
        server.run_for(100ms);  // the warm-up session ends, or every session is back in its read
        return true;
    };
    const char go = 'g';
    ASSERT_TRUE(serve_until('w'));
    const auto before = mallinfo2().uordblks;
    ASSERT_EQ(::write(from_server[1], &go, 1), 1);
    ASSERT_TRUE(serve_until('c'));
    const auto per_session = (mallinfo2().uordblks - before) / kSessions;
    ASSERT_EQ(::write(from_server[1], &go, 1), 1);
    int status = 0;
    ASSERT_EQ(::waitpid(clients, &status, 0), clients);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a client got no answer";
    EXPECT_LT(per_session, 32U * 1024) << per_session << " bytes per idle TLS session";
    for (const int fd : {to_server[0], to_server[1], from_server[0], from_server[1]}) {
        ::close(fd);
    }
}
#endif

TEST(SessionStream, CloseSendsCloseNotify) {
    TlsEchoServer server(10, true);
    TlsClient client(server.port());
    ASSERT_TRUE(client.ping(10));
    EXPECT_TRUE(client.closed_by_server());
}

}  // namespace
}  // namespace govmail
