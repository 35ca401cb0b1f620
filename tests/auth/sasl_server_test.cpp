// The one SASL server (auth/sasl_server.hpp): every mechanism's exchange, as a table of the
// client's lines (base64, as a front end reads them, or "*" to cancel), the challenges the
// server sends, and how it ends: the login attempt handed to the authenticator, a malformed
// message, or the exchange ended by the client.

#include "auth/sasl_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/base64.hpp"
#include "tests/support/async.hpp"

namespace govmail::auth {
namespace {

using boost::asio::awaitable;
using namespace std::string_literals;

// What the fake authenticator was asked, and answers.
class RecordingAuthenticator final : public Authenticator {
public:
    explicit RecordingAuthenticator(LoginResult answer) : answer_(std::move(answer)) {}
    awaitable<LoginResult> login(const LoginAttempt& attempt) override {
        attempts.push_back(attempt);
        co_return answer_;
    }
    std::vector<LoginAttempt> attempts;

private:
    LoginResult answer_;
};

// The attempt the authenticator must be given.
struct Expected {
    Method method;
    std::string authzid;
    std::string user;
    std::string secret;
};

struct ExchangeCase {
    std::string name;
    SaslMechanism mechanism;
    std::optional<std::string> initial;   // decoded initial response
    std::vector<std::string> lines;       // the client's answers, as sent
    std::vector<std::string> challenges;  // expected, decoded
    std::optional<Expected> attempt;      // nullopt: no login
    std::optional<std::string_view> malformed = std::nullopt;
    bool refused_token = false;  // the authenticator refuses with the OAUTHBEARER error
};

const std::string kOauthbearer =
    "n,a=ann@example.org,\x01host=mail.example.org\x01port=993\x01"
    "auth=Bearer abc.def-ghi\x01\x01";
const std::string kXoauth2 =
    "user=ann@example.org\x01"
    "auth=Bearer abc.def-ghi\x01\x01";
const std::string kTokenError = R"({"status":"invalid_token","scope":""})";

// Names the case, not its bytes, in test listings.
void PrintTo(const ExchangeCase& c, std::ostream* os) { *os << c.name; }

std::string b64(const std::string& text) { return encode_base64(text); }

// One row a case: name, mechanism, initial response, client lines, challenges, then the
// attempt (or nothing), the malformed text, and whether the token is refused.
// clang-format off
const std::vector<ExchangeCase> kCases = {
    {"PlainInitialResponse", SaslMechanism::Plain, "\0ann\0pw"s, {}, {},
        Expected{Method::Password, "", "ann", "pw"}},
    {"PlainAfterEmptyChallenge", SaslMechanism::Plain, std::nullopt, {b64("\0ann\0pw"s)}, {""},
        Expected{Method::Password, "", "ann", "pw"}},
    {"PlainAuthzidIsPassedOnForTheAuthenticatorToJudge", SaslMechanism::Plain,
        "bob@example.org\0ann\0pw"s, {}, {},
        Expected{Method::Password, "bob@example.org", "ann", "pw"}},
    {"PlainEmptyInitialResponseIsMalformed", SaslMechanism::Plain, ""s, {}, {}, std::nullopt,
        kMalformedPlainText},
    {"PlainWithoutPasswordIsMalformed", SaslMechanism::Plain, std::nullopt, {b64("\0ann\0"s)}, {""},
        std::nullopt, kMalformedPlainText},
    {"PlainCancelled", SaslMechanism::Plain, std::nullopt, {"*"}, {""}, std::nullopt},
    {"PlainBadBase64", SaslMechanism::Plain, std::nullopt, {"not base64!"}, {""}, std::nullopt},
    {"LoginAsksUsernameThenPassword", SaslMechanism::Login, std::nullopt, {b64("ann"), b64("pw")},
        {"Username:", "Password:"}, Expected{Method::Password, "", "ann", "pw"}},
    {"LoginInitialResponseIsTheUsername", SaslMechanism::Login, "ann"s, {b64("pw")}, {"Password:"},
        Expected{Method::Password, "", "ann", "pw"}},
    {"LoginEmptyInitialResponseIsAnEmptyUsername", SaslMechanism::Login, ""s, {b64("pw")},
        {"Password:"}, Expected{Method::Password, "", "", "pw"}},
    {"LoginCancelledAtThePassword", SaslMechanism::Login, "ann"s, {"*"}, {"Password:"},
        std::nullopt},
    {"LoginBadBase64AtTheUsername", SaslMechanism::Login, std::nullopt, {"===="}, {"Username:"},
        std::nullopt},
    {"ExternalEmptyInitialResponse", SaslMechanism::External, ""s, {}, {},
        Expected{Method::External, "", "", ""}},
    {"ExternalAuthzid", SaslMechanism::External, "ann@example.org"s, {}, {},
        Expected{Method::External, "ann@example.org", "", ""}},
    {"ExternalAfterEmptyChallenge", SaslMechanism::External, std::nullopt, {""}, {""},
        Expected{Method::External, "", "", ""}},
    {"ExternalCancelled", SaslMechanism::External, std::nullopt, {"*"}, {""}, std::nullopt},
    {"OauthbearerInitialResponse", SaslMechanism::OAuthBearer, kOauthbearer, {}, {},
        Expected{Method::Bearer, "ann@example.org", "", "abc.def-ghi"}},
    {"OauthbearerAfterEmptyChallenge", SaslMechanism::OAuthBearer, std::nullopt,
        {b64(kOauthbearer)}, {""}, Expected{Method::Bearer, "ann@example.org", "", "abc.def-ghi"}},
    {"OauthbearerMalformed", SaslMechanism::OAuthBearer, "n,,\x01" "auth=Basic x\x01\x01"s, {}, {},
        std::nullopt, kMalformedBearerText},
    {"OauthbearerEmptyInitialResponseIsMalformed", SaslMechanism::OAuthBearer, ""s, {}, {},
        std::nullopt, kMalformedBearerText},
    {"OauthbearerRefusedTokenSendsTheErrorChallenge", SaslMechanism::OAuthBearer, kOauthbearer,
        {b64("\x01")}, {kTokenError},
        Expected{Method::Bearer, "ann@example.org", "", "abc.def-ghi"}, std::nullopt, true},
    {"Xoauth2InitialResponse", SaslMechanism::XOAuth2, kXoauth2, {}, {},
        Expected{Method::Bearer, "ann@example.org", "", "abc.def-ghi"}},
    {"Xoauth2RefusedTokenSendsTheErrorChallenge", SaslMechanism::XOAuth2, kXoauth2, {""},
        {kTokenError}, Expected{Method::Bearer, "ann@example.org", "", "abc.def-ghi"}, std::nullopt,
        true},
    {"Xoauth2Cancelled", SaslMechanism::XOAuth2, std::nullopt, {"*"}, {""}, std::nullopt},
    {"Xoauth2Malformed", SaslMechanism::XOAuth2, "user=ann\x01\x01"s, {}, {}, std::nullopt,
        kMalformedBearerText},
};
// clang-format on

class SaslExchange : public testing::TestWithParam<ExchangeCase> {};

TEST_P(SaslExchange, EndsAsExpected) {
    const auto& c = GetParam();
    LoginResult answer;
    if (c.refused_token) {
        answer.failure_text = "Authentication failed";
        answer.bearer_error_json = kTokenError;
    } else {
        answer.account = storage::Account{};
    }
    RecordingAuthenticator authenticator(answer);
    LoginAttempt connection;
    connection.service = Service::ManageSieve;
    connection.source = boost::asio::ip::make_address("192.0.2.7");
    SaslServer server(c.mechanism, connection);

    // The client's side, framed as the front ends frame it: "*" cancels, bad base64 ends.
    std::vector<std::string> challenges;
    std::size_t next_line = 0;
    const SaslFraming framing = [&](std::string_view challenge
                                ) -> awaitable<std::optional<std::string>> {
        challenges.emplace_back(challenge);
        if (next_line == c.lines.size()) {
            ADD_FAILURE() << "unexpected challenge " << challenge;
            co_return std::nullopt;
        }
        const auto& line = c.lines[next_line++];
        if (line == "*") {
            co_return std::nullopt;
        }
        co_return decode_base64_strict(line);
    };
    boost::asio::io_context ioc;
    const auto outcome = test::run(ioc, run_sasl(authenticator, server, framing, c.initial));

    EXPECT_EQ(challenges, c.challenges);
    EXPECT_EQ(next_line, c.lines.size()) << "every line was read";
    EXPECT_EQ(outcome.malformed, c.malformed);
    if (!c.attempt) {
        EXPECT_TRUE(authenticator.attempts.empty());
        EXPECT_FALSE(outcome.result);
        return;
    }
    ASSERT_EQ(authenticator.attempts.size(), 1u);
    const auto& attempt = authenticator.attempts.front();
    EXPECT_EQ(attempt.method, c.attempt->method);
    EXPECT_EQ(attempt.authzid, c.attempt->authzid);
    EXPECT_EQ(attempt.user, c.attempt->user);
    EXPECT_EQ(attempt.secret, c.attempt->secret);
    EXPECT_EQ(attempt.service, Service::ManageSieve) << "the connection's facts are kept";
    EXPECT_EQ(attempt.source, connection.source);
    ASSERT_TRUE(outcome.result);
    EXPECT_EQ(outcome.result->account.has_value(), !c.refused_token);
}

INSTANTIATE_TEST_SUITE_P(
    Mechanisms,
    SaslExchange,
    testing::ValuesIn(kCases),
    [](const testing::TestParamInfo<ExchangeCase>& param) { return param.param.name; }
);

TEST(SaslMechanisms, NamesAreTheUpperCaseOnes) {
    EXPECT_EQ(parse_sasl_mechanism("PLAIN"), SaslMechanism::Plain);
    EXPECT_EQ(parse_sasl_mechanism("LOGIN"), SaslMechanism::Login);
    EXPECT_EQ(parse_sasl_mechanism("EXTERNAL"), SaslMechanism::External);
    EXPECT_EQ(parse_sasl_mechanism("OAUTHBEARER"), SaslMechanism::OAuthBearer);
    EXPECT_EQ(parse_sasl_mechanism("XOAUTH2"), SaslMechanism::XOAuth2);
    EXPECT_FALSE(parse_sasl_mechanism("CRAM-MD5"));
    EXPECT_FALSE(parse_sasl_mechanism(""));
}

TEST(SaslMechanisms, ExternalIsOfferedOnlyWithACertificate) {
    using List = std::vector<std::string_view>;
    EXPECT_EQ(sasl_mechanisms(false), (List{"PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2"}));
    EXPECT_EQ(
        sasl_mechanisms(true), (List{"PLAIN", "LOGIN", "EXTERNAL", "OAUTHBEARER", "XOAUTH2"})
    );
}

}  // namespace
}  // namespace govmail::auth
