// ManageSieve sessions without sockets: the real session (serve_managesieve) over the in-memory
// stream of tests/support/fake_stream.hpp, its responses compared byte for byte. Covers what
// the session loop does for ManageSieve with its own [managesieve] limits: the bad-command
// count, the login deadline, and the plaintext thrown away at STARTTLS.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "managesieve/lib/service.hpp"
#include "tests/support/fake_stream.hpp"

namespace govmail::managesieve {
namespace {

namespace asio = boost::asio;
using test::FakeClient;
using test::FakeStream;

// The capabilities and greeting: SASL mechanisms only over TLS (EXTERNAL only for a client with
// a certificate, which the fake stream never has), STARTTLS only before it.
std::string capabilities(bool tls) {
    return std::string("\"IMPLEMENTATION\" \"govmail\"\r\n") +
           (tls ? "\"SASL\" \"PLAIN LOGIN OAUTHBEARER XOAUTH2\"\r\n" : "\"SASL\" \"\"\r\n") +
           "\"SIEVE\" \"vacation date relational\"\r\n" + (tls ? "" : "\"STARTTLS\"\r\n") +
           "\"VERSION\" \"1.0\"\r\n";
}

const std::string kGreeting = capabilities(false) + "OK \"govmail ManageSieve ready\"\r\n";

Config test_config() {
    Config config;
    config.managesieve.max_bad_commands = 2;
    // IMAP's timeouts no longer apply to ManageSieve.
    config.imap.login_timeout = std::chrono::seconds(20);
    config.managesieve.login_timeout = std::chrono::seconds(1);
    return config;
}

void converse(FakeClient& client, const Config& config = test_config()) {
    asio::io_context ioc;
    storage::Pool pool(ioc.get_executor(), storage::PoolOptions{});
    asio::ssl::context tls(asio::ssl::context::tls_server);
    SessionRegistry sessions;
    ManageSieveService service{config, pool, tls, nullptr, sessions};
    auto stream = std::make_unique<FakeStream>(ioc.get_executor(), client);
    test::run_session(ioc, serve_managesieve(std::move(stream), service));
}

TEST(ManageSieveSession, EndsTheSessionAtItsOwnBadCommandLimit) {
    FakeClient client;
    client.sends = {"FROB\r\n", "FROB\r\nNOOP\r\n"};
    converse(client);
    EXPECT_EQ(
        client.received, kGreeting + "NO \"Unknown command FROB\"\r\n" +
                             "NO \"Unknown command FROB\"\r\n" +
                             "BYE \"Too many invalid commands\"\r\n"
    );
    EXPECT_TRUE(client.closed);
}

TEST(ManageSieveSession, EndsASilentClientAtItsOwnLoginDeadline) {
    FakeClient client;
    client.silent_at_end = true;
    const auto start = std::chrono::steady_clock::now();
    converse(client);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_EQ(client.received, kGreeting + "BYE \"Idle for too long\"\r\n");
}

TEST(ManageSieveSession, ThrowsAwayPlaintextPipelinedAfterStarttls) {
    FakeClient client;
    // CVE-2011-0411: the LOGOUT sent with STARTTLS must not be read as if it came over TLS.
    client.sends = {"STARTTLS\r\nLOGOUT\r\n", "LOGOUT\r\n"};
    converse(client);
    ASSERT_TRUE(client.tls_started);
    EXPECT_EQ(client.received_before_tls, kGreeting + "OK \"Begin TLS negotiation now\"\r\n");
    // RFC 5804 2.2: the capabilities again, now over TLS.
    EXPECT_EQ(
        client.received.substr(client.received_before_tls.size()),
        capabilities(true) + "OK \"TLS active\"\r\nOK \"Bye\"\r\n"
    );
}

}  // namespace
}  // namespace govmail::managesieve
