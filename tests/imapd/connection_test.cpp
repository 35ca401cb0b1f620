// IMAP sessions without sockets: the real connection (serve_imap) over an in-memory stream
// (tests/support/fake_stream.hpp), its responses compared byte for byte. Covers what the
// session loop does for IMAP: pipelined commands, the bad-command limit, the login deadline,
// the BYE at shutdown and the plaintext thrown away at STARTTLS.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "imapd/lib/server.hpp"
#include "tests/support/fake_stream.hpp"

namespace govmail::imap {
namespace {

namespace asio = boost::asio;
using test::FakeClient;
using test::FakeStream;

constexpr std::string_view kGreeting =
    "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS LOGINDISABLED] "
    "govmail "
    "IMAP4rev1 ready\r\n";

Config test_config() {
    Config config;
    config.imap.max_bad_commands = 2;
    return config;
}

// Runs one session on the plaintext port with CLIENT; WHILE_OPEN, when set, is called 50 ms
// after the start with the service.
void converse(
    FakeClient& client,
    const Config& config = test_config(),
    std::function<void(ImapService&)> while_open = {}
) {
    asio::io_context ioc;
    storage::Pool pool(ioc.get_executor(), storage::PoolOptions{});
    asio::ssl::context tls(asio::ssl::context::tls_server);
    ImapService service(config, pool, tls, nullptr, [] { return std::int64_t{1'700'000'000}; });
    auto stream = std::make_unique<FakeStream>(ioc.get_executor(), client);
    test::run_session(ioc, serve_imap(std::move(stream), ListenerKind::Imap, service), [&] {
        if (while_open) {
            while_open(service);
        }
    });
}

TEST(ImapSession, AnswersPipelinedCommandsInOrder) {
    FakeClient client;
    client.sends = {"a1 NOOP\r\na2 CAPABILITY\r\n", "a3 LOGOUT\r\n"};
    converse(client);
    EXPECT_EQ(
        client.received,
        std::string(kGreeting) +
            "a1 OK NOOP completed\r\n"
            "* CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS "
            "LOGINDISABLED\r\n"
            "a2 OK CAPABILITY completed\r\n"
            "* BYE Logging out\r\n"
            "a3 OK LOGOUT completed\r\n"
    );
    EXPECT_TRUE(client.closed);
}

TEST(ImapSession, EndsTheSessionAtTheBadCommandLimit) {
    FakeClient client;
    client.sends = {"a1 FROB\r\n", "a2 FROB\r\na3 NOOP\r\n"};
    converse(client);
    EXPECT_EQ(
        client.received, std::string(kGreeting) +
                             "a1 BAD Unknown command\r\n"
                             "a2 BAD Unknown command\r\n"
                             "* BYE Too many invalid commands\r\n"
    );
    EXPECT_TRUE(client.closed);
}

TEST(ImapSession, EndsASilentClientAtTheLoginDeadline) {
    FakeClient client;
    client.silent_at_end = true;
    auto config = test_config();
    config.imap.login_timeout = std::chrono::seconds(1);
    converse(client, config);
    EXPECT_EQ(client.received, std::string(kGreeting) + "* BYE Autologout; idle for too long\r\n");
}

TEST(ImapSession, SaysByeAtShutdown) {
    FakeClient client;
    client.sends = {"a1 NOOP\r\n"};
    client.silent_at_end = true;
    converse(client, test_config(), [](ImapService& service) { service.shutdown(); });
    EXPECT_EQ(
        client.received,
        std::string(kGreeting) + "a1 OK NOOP completed\r\n* BYE Server shutting down\r\n"
    );
}

TEST(ImapSession, ThrowsAwayPlaintextPipelinedAfterStarttls) {
    FakeClient client;
    // CVE-2011-0411: the LOGOUT sent with STARTTLS must not be read as if it came over TLS.
    client.sends = {"a1 STARTTLS\r\na2 LOGOUT\r\n", "a3 NOOP\r\n", "a4 LOGOUT\r\n"};
    converse(client);
    ASSERT_TRUE(client.tls_started);
    EXPECT_EQ(
        client.received_before_tls, std::string(kGreeting) + "a1 OK Begin TLS negotiation now\r\n"
    );
    EXPECT_EQ(
        client.received.substr(client.received_before_tls.size()),
        "a3 OK NOOP completed\r\n"
        "* BYE Logging out\r\n"
        "a4 OK LOGOUT completed\r\n"
    );
}

}  // namespace
}  // namespace govmail::imap
