#pragma once

// The one SASL server (RFC 4422) of every front end: IMAP AUTHENTICATE, SMTP AUTH and
// ManageSieve AUTHENTICATE. It knows the mechanisms PLAIN (RFC 4616), LOGIN
// (draft-murchison-sasl-login), EXTERNAL (RFC 4422 appendix A), OAUTHBEARER (RFC 7628) and
// XOAUTH2, and turns each exchange into one LoginAttempt for the Authenticator. A front end
// keeps only its framing: how a challenge is written, how the client's answer is decoded
// (base64, "*" to cancel) and how the outcome is worded. SaslServer is pure (no I/O);
// run_sasl drives it over the front end's framing. Input is untrusted and carries secrets:
// nothing here logs it or puts it in an error text.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/authenticator.hpp"

namespace govmail::auth {

enum class SaslMechanism { Plain, Login, External, OAuthBearer, XOAuth2 };

// The mechanism named NAME, in upper case as every front end's parser leaves it; nullopt for
// one this server lacks.
std::optional<SaslMechanism> parse_sasl_mechanism(std::string_view name);

// The mechanisms to advertise over TLS, in the order offered: EXTERNAL only when the client
// presented a certificate.
std::vector<std::string_view> sasl_mechanisms(bool certificate_presented);

// Send DATA (raw; the front end encodes it) and pass the client's answer to respond().
struct SaslChallenge {
    std::string data;
    friend bool operator==(const SaslChallenge&, const SaslChallenge&) = default;
};
// The client's message does not fit the mechanism: end the exchange with TEXT, a syntax error.
struct SaslMalformed {
    std::string_view text;
    friend bool operator==(const SaslMalformed&, const SaslMalformed&) = default;
};
using SaslStep = std::variant<SaslChallenge, SaslMalformed, LoginAttempt>;

inline constexpr std::string_view kMalformedPlainText = "Malformed PLAIN message";
inline constexpr std::string_view kMalformedBearerText = "Malformed bearer token message";

class SaslServer {
public:
    // CONNECTION holds what the connection knows (service, TLS session, source address); the
    // exchange fills in the method and the credentials.
    SaslServer(SaslMechanism mechanism, LoginAttempt connection);

    // The first step: INITIAL is the client's initial response (decoded; empty when it sent
    // an empty one) or nullopt when it sent none.
    SaslStep start(std::optional<std::string> initial);
    // The client's (decoded) answer to the last challenge.
    SaslStep respond(std::string message);
    // After a refused login: the challenge to send before the failure (RFC 7628 section
    // 3.2.3: the OAUTHBEARER error), whose answer is read and ignored; nullopt: fail at once.
    std::optional<std::string> failure_challenge(const LoginResult& result) const;

private:
    SaslStep finish(std::string message);

    SaslMechanism mechanism_;
    LoginAttempt attempt_;
    bool username_given_ = false;  // LOGIN: the password comes next
};

// The front end's framing: sends CHALLENGE and reads the client's answer, decoded; nullopt
// when the exchange ended there (cancelled, bad base64, connection gone) and the front end
// has answered the client itself.
using SaslFraming =
    std::function<boost::asio::awaitable<std::optional<std::string>>(std::string_view challenge)>;

struct SaslOutcome {
    // The Authenticator's answer; nullopt when the exchange ended before a login.
    std::optional<LoginResult> result;
    // Set when it ended on a malformed message: the syntax error to send.
    std::optional<std::string_view> malformed;
};

// Runs SERVER's exchange over FRAMING from INITIAL (as SaslServer::start) and asks
// AUTHENTICATOR. A refused login gets its failure challenge first.
boost::asio::awaitable<SaslOutcome> run_sasl(
    Authenticator& authenticator,
    SaslServer server,
    SaslFraming framing,
    std::optional<std::string> initial
);

}  // namespace govmail::auth
