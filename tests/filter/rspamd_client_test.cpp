// The rspamd client against a scripted HTTP server on loopback: the request it sends, kept-alive
// connections reused, a kept-alive connection the server closed retried once on a new one,
// the deadline, and the answers that are no verdict.

#include "filter/rspamd_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "tests/support/async.hpp"

namespace govmail::filter {
namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

constexpr std::string_view kClean = R"({"action":"no action","score":-0.1,"required_score":15})";

enum class Mode {
    KeepAlive,      // answers every request, keeps the connection
    Close,          // answers and closes
    CloseWhenIdle,  // answers, says keep-alive, closes the connection right after
    Silent,         // accepts and never answers
    ServerError,    // 500
};

// One scripted rspamd: counts connections, keeps the last request.
struct FakeRspamd {
    FakeRspamd(asio::io_context& ioc, Mode mode_)
        : acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), mode(mode_) {
        asio::co_spawn(ioc, accept_loop(), asio::detached);
    }

    FilterConfig config(std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
        FilterConfig c;
        c.rspamd_url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
        c.timeout = timeout;
        return c;
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto socket = co_await acceptor.async_accept(asio::use_awaitable);
            ++connections;
            asio::co_spawn(
                acceptor.get_executor(), serve(std::move(socket)), [](const std::exception_ptr&) {}
            );
        }
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> request;
            co_await http::async_read(socket, buffer, request, asio::use_awaitable);
            last = request;
            if (mode == Mode::Silent) {
                held.push_back(std::move(socket));
                co_return;
            }
            http::response<http::string_body> answer{
                mode == Mode::ServerError ? http::status::internal_server_error : http::status::ok,
                11};
            answer.body() = kClean;
            answer.keep_alive(mode != Mode::Close);
            answer.prepare_payload();
            co_await http::async_write(socket, answer, asio::use_awaitable);
            if (mode != Mode::KeepAlive) {
                co_return;
            }
        }
    }

    tcp::acceptor acceptor;
    Mode mode;
    int connections = 0;
    http::request<http::string_body> last;
    std::vector<tcp::socket> held;
};

ScanRequest scan_of(std::string_view message) {
    ScanRequest request;
    request.message = message;
    request.mail_from = "a@example.org";
    request.recipients = {"b@example.go.kr", "c@example.go.kr"};
    request.client_ip = "192.0.2.1";
    return request;
}

TEST(RspamdClient, PostsTheMessageWithTheEnvelope) {
    asio::io_context ioc;
    FakeRspamd server(ioc, Mode::KeepAlive);
    RspamdClient client(ioc.get_executor(), server.config());
    const auto result = test::run(ioc, client.check(scan_of("Subject: s\r\n\r\nbody\r\n")));
    ASSERT_TRUE(result) << result.error();
    EXPECT_EQ(result->action, Action::NoAction);
    EXPECT_EQ(server.last.method(), http::verb::post);
    EXPECT_EQ(server.last.target(), "/checkv2");
    EXPECT_EQ(server.last.body(), "Subject: s\r\n\r\nbody\r\n");
    EXPECT_EQ(server.last["From"], "a@example.org");
    EXPECT_EQ(server.last["Ip"], "192.0.2.1");
    EXPECT_EQ(server.last.count("Rcpt"), 2U);
}

TEST(RspamdClient, KeptAliveConnectionIsReused) {
    asio::io_context ioc;
    FakeRspamd server(ioc, Mode::KeepAlive);
    RspamdClient client(ioc.get_executor(), server.config());
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(test::run(ioc, client.check(scan_of("m"))));
    }
    EXPECT_EQ(server.connections, 1);
}

TEST(RspamdClient, ClosedConnectionIsNotKept) {
    asio::io_context ioc;
    FakeRspamd server(ioc, Mode::Close);
    RspamdClient client(ioc.get_executor(), server.config());
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(test::run(ioc, client.check(scan_of("m"))));
    }
    EXPECT_EQ(server.connections, 2);
}

TEST(RspamdClient, StaleKeptConnectionIsRetriedOnANewOne) {
    asio::io_context ioc;
    FakeRspamd server(ioc, Mode::CloseWhenIdle);
    RspamdClient client(ioc.get_executor(), server.config());
    ASSERT_TRUE(test::run(ioc, client.check(scan_of("m"))));
    const auto second = test::run(ioc, client.check(scan_of("m")));
    ASSERT_TRUE(second) << second.error();
    EXPECT_EQ(server.connections, 2);
}

TEST(RspamdClient, SilentScannerEndsAtTheDeadline) {
    asio::io_context ioc;
    FakeRspamd server(ioc, Mode::Silent);
    RspamdClient client(ioc.get_executor(), server.config(std::chrono::milliseconds(200)));
    const auto started = std::chrono::steady_clock::now();
    const auto result = test::run(ioc, client.check(scan_of("m")));
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().find("timeout"), std::string::npos) << result.error();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST(RspamdClient, ServerErrorIsNoVerdict) {
    asio::io_context ioc;
    FakeRspamd server(ioc, Mode::ServerError);
    RspamdClient client(ioc.get_executor(), server.config());
    const auto result = test::run(ioc, client.check(scan_of("m")));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), "HTTP status 500");
}

TEST(RspamdClient, NobodyListening) {
    asio::io_context ioc;
    std::uint16_t port = 0;
    {
        tcp::acceptor probe(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        port = probe.local_endpoint().port();
    }
    FilterConfig config;
    config.rspamd_url = "http://127.0.0.1:" + std::to_string(port) + "/";
    RspamdClient client(ioc.get_executor(), config);
    const auto result = test::run(ioc, client.check(scan_of("m")));
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().starts_with("connecting to 127.0.0.1:")) << result.error();
}

TEST(RspamdClient, OnlyHttpUrls) {
    asio::io_context ioc;
    FilterConfig config;
    for (const auto* url : {"https://127.0.0.1:11333/", "127.0.0.1:11333", "http://"}) {
        config.rspamd_url = url;
        EXPECT_THROW(RspamdClient(ioc.get_executor(), config), std::runtime_error) << url;
    }
}

}  // namespace
}  // namespace govmail::filter
