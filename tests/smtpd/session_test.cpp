// SMTP sessions without sockets: the real session (serve_smtp) over an in-memory stream
// (tests/support/fake_stream.hpp), its replies compared byte for byte. Covers what the session
// loop does for SMTP: pipelined replies, the bad-command limit, the read deadline, the end at
// shutdown and the plaintext thrown away at STARTTLS.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "smtpd/lib/server.hpp"
#include "tests/support/fake_stream.hpp"

namespace govmail::smtpd {
namespace {

namespace asio = boost::asio;
using test::FakeClient;
using test::FakeStream;

constexpr std::string_view kGreeting = "220 mail.test ESMTP govmail\r\n";

Config test_config() {
    Config config;
    config.hostname = "mail.test";
    config.smtp.max_bad_commands = 3;
    config.smtp.tarpit_after = 100;  // no tarpit waits in these tests
    return config;
}

// The reply to EHLO: STARTTLS is offered until TLS is on, and AUTH is never offered here
// (MX, or no authenticator).
std::string ehlo_reply(bool tls) {
    return std::string(
               "250-mail.test\r\n"
               "250-PIPELINING\r\n"
               "250-SIZE 52428800\r\n"
               "250-8BITMIME\r\n"
               "250-CHUNKING\r\n"
               "250-SMTPUTF8\r\n"
               "250-DSN\r\n"
           ) +
           (tls ? "250 ENHANCEDSTATUSCODES\r\n" : "250-ENHANCEDSTATUSCODES\r\n250 STARTTLS\r\n");
}

// Runs one session of KIND with CLIENT; WHILE_OPEN, when set, is called 50 ms after the
// start with the daemon's session registry.
void converse(
    FakeClient& client,
    ListenerKind kind,
    const Config& config = test_config(),
    const std::function<void(SessionRegistry&)>& while_open = {}
) {
    asio::io_context ioc;
    storage::Pool pool(ioc.get_executor(), storage::PoolOptions{});
    storage::Mailstore store(pool);
    asio::ssl::context tls(asio::ssl::context::tls_server);
    SessionRegistry sessions;
    SmtpContext ctx{config,  store, tls, nullptr, [] { return std::int64_t{1'700'000'000}; },
                    sessions};
    auto stream =
        std::make_unique<FakeStream>(ioc.get_executor(), client, kind == ListenerKind::Submissions);
    test::run_session(ioc, serve_smtp(std::move(stream), kind, ctx), [&] {
        if (while_open) {
            while_open(sessions);
        }
    });
}

TEST(SmtpSession, AnswersPipelinedCommandsInOrder) {
    FakeClient client;
    client.sends = {"EHLO client.example.org\r\nNOOP\r\nRSET\r\n", "QUIT\r\n"};
    converse(client, ListenerKind::Mx);
    EXPECT_EQ(
        client.received, std::string(kGreeting) + ehlo_reply(false) +
                             "250 2.0.0 Ok\r\n"
                             "250 2.0.0 Ok\r\n"
                             "221 2.0.0 Bye\r\n"
    );
    EXPECT_TRUE(client.closed);
}

TEST(SmtpSession, EndsTheSessionAtTheBadCommandLimit) {
    FakeClient client;
    // A sequence error (503) is not counted; the third bad command ends the session, and the
    // NOOP after it is never answered.
    client.sends = {"FROB\r\n", "MAIL FROM:<a@example.org>\r\nFROB\r\n", "FROB\r\nNOOP\r\n"};
    converse(client, ListenerKind::Mx);
    EXPECT_EQ(
        client.received, std::string(kGreeting) +
                             "500 5.5.1 Command unrecognized\r\n"
                             "503 5.5.1 Send HELO/EHLO first\r\n"
                             "500 5.5.1 Command unrecognized\r\n"
                             "500 5.5.1 Command unrecognized\r\n"
                             "421 4.7.0 mail.test Error: too many errors\r\n"
    );
    EXPECT_TRUE(client.closed);
}

TEST(SmtpSession, EndsASilentClientAtTheCommandDeadline) {
    FakeClient client;
    client.sends = {"NOOP\r\n"};
    client.silent_at_end = true;
    auto config = test_config();
    config.smtp.command_timeout = std::chrono::seconds(1);
    converse(client, ListenerKind::Mx, config);
    EXPECT_EQ(
        client.received, std::string(kGreeting) + "250 2.0.0 Ok\r\n" +
                             "421 4.4.2 mail.test Error: timeout exceeded\r\n"
    );
}

TEST(SmtpSession, SaysGoodbyeAtShutdown) {
    FakeClient client;
    client.sends = {"EHLO client.example.org\r\n"};
    client.silent_at_end = true;
    converse(client, ListenerKind::Submissions, test_config(), [](SessionRegistry& sessions) {
        sessions.shutdown();
    });
    // Over TLS (port 465) without an authenticator: no STARTTLS and no AUTH offered.
    EXPECT_EQ(
        client.received,
        std::string(kGreeting) + ehlo_reply(true) + "421 4.3.2 mail.test Service shutting down\r\n"
    );
}

TEST(SmtpSession, ThrowsAwayPlaintextPipelinedAfterStarttls) {
    FakeClient client;
    // CVE-2011-0411: the MAIL FROM sent with STARTTLS must not be read as if it came over TLS.
    client.sends = {
        "EHLO client.example.org\r\n", "STARTTLS\r\nMAIL FROM:<mallory@example.org>\r\n",
        "MAIL FROM:<a@example.org>\r\n", "QUIT\r\n"};
    converse(client, ListenerKind::Mx);
    ASSERT_TRUE(client.tls_started);
    EXPECT_EQ(
        client.received_before_tls,
        std::string(kGreeting) + ehlo_reply(false) + "220 2.0.0 Ready to start TLS\r\n"
    );
    // After the handshake the session starts over: MAIL needs a new EHLO.
    EXPECT_EQ(
        client.received.substr(client.received_before_tls.size()),
        "503 5.5.1 Send HELO/EHLO first\r\n"
        "221 2.0.0 Bye\r\n"
    );
}

}  // namespace
}  // namespace govmail::smtpd
