// The SASL server of every front end (sasl_server.hpp): mechanism exchanges to login attempts.

#include "auth/sasl_server.hpp"

#include <array>
#include <utility>

#include "auth/sasl_messages.hpp"

namespace govmail::auth {
namespace {

struct NamedMechanism {
    std::string_view name;
    SaslMechanism mechanism;
};

// In the order advertised.
constexpr std::array kMechanisms{
    NamedMechanism{"PLAIN", SaslMechanism::Plain},
    NamedMechanism{"LOGIN", SaslMechanism::Login},
    NamedMechanism{"EXTERNAL", SaslMechanism::External},
    NamedMechanism{"OAUTHBEARER", SaslMechanism::OAuthBearer},
    NamedMechanism{"XOAUTH2", SaslMechanism::XOAuth2},
};

// The LOGIN mechanism's prompts, as every client expects them.
constexpr std::string_view kUsernamePrompt = "Username:";
constexpr std::string_view kPasswordPrompt = "Password:";

bool is_bearer(SaslMechanism mechanism) {
    return mechanism == SaslMechanism::OAuthBearer || mechanism == SaslMechanism::XOAuth2;
}

}  // namespace

std::optional<SaslMechanism> parse_sasl_mechanism(std::string_view name) {
    for (const auto& known : kMechanisms) {
        if (name == known.name) {
            return known.mechanism;
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> sasl_mechanisms(bool certificate_presented) {
    std::vector<std::string_view> out;
    for (const auto& known : kMechanisms) {
        if (known.mechanism != SaslMechanism::External || certificate_presented) {
            out.push_back(known.name);
        }
    }
    return out;
}

SaslServer::SaslServer(SaslMechanism mechanism, LoginAttempt connection)
    : mechanism_(mechanism), attempt_(std::move(connection)) {}

SaslStep SaslServer::start(std::optional<std::string> initial) {
    if (!initial) {
        // LOGIN asks for the user name; the others expect the client's message.
        return SaslChallenge{
            std::string(mechanism_ == SaslMechanism::Login ? kUsernamePrompt : "")};
    }
    return respond(std::move(*initial));
}

SaslStep SaslServer::respond(std::string message) {
    if (mechanism_ == SaslMechanism::Login && !username_given_) {
        username_given_ = true;
        attempt_.user = std::move(message);
        return SaslChallenge{std::string(kPasswordPrompt)};
    }
    return finish(std::move(message));
}

SaslStep SaslServer::finish(std::string message) {
    LoginAttempt attempt = attempt_;
    switch (mechanism_) {
        case SaslMechanism::Plain: {
            auto plain = parse_plain(message);
            if (!plain) {
                return SaslMalformed{kMalformedPlainText};
            }
            attempt.method = Method::Password;
            attempt.authzid = std::move(plain->authzid);
            attempt.user = std::move(plain->authcid);
            attempt.secret = std::move(plain->password);
            return attempt;
        }
        case SaslMechanism::Login:
            attempt.method = Method::Password;
            attempt.secret = std::move(message);
            return attempt;
        case SaslMechanism::External:
            attempt.method = Method::External;
            attempt.authzid = std::move(message);
            return attempt;
        case SaslMechanism::OAuthBearer:
        case SaslMechanism::XOAuth2: {
            auto bearer = mechanism_ == SaslMechanism::OAuthBearer ? parse_oauthbearer(message)
                                                                   : parse_xoauth2(message);
            if (!bearer) {
                return SaslMalformed{kMalformedBearerText};
            }
            attempt.method = Method::Bearer;
            attempt.authzid = std::move(bearer->authzid);
            attempt.secret = std::move(bearer->token);
            return attempt;
        }
    }
    return SaslMalformed{kMalformedPlainText};  // cannot happen: every mechanism is handled
}

std::optional<std::string> SaslServer::failure_challenge(const LoginResult& result) const {
    if (!is_bearer(mechanism_) || result.account || result.bearer_error_json.empty()) {
        return std::nullopt;
    }
    return result.bearer_error_json;
}

boost::asio::awaitable<SaslOutcome> run_sasl(
    Authenticator& authenticator,
    SaslServer server,
    SaslFraming framing,
    std::optional<std::string> initial
) {
    auto step = server.start(std::move(initial));
    while (const auto* challenge = std::get_if<SaslChallenge>(&step)) {
        auto answer = co_await framing(challenge->data);
        if (!answer) {
            co_return SaslOutcome{};
        }
        step = server.respond(std::move(*answer));
    }
    if (const auto* malformed = std::get_if<SaslMalformed>(&step)) {
        co_return SaslOutcome{std::nullopt, malformed->text};
    }
    auto result = co_await authenticator.login(std::get<LoginAttempt>(step));
    if (const auto challenge = server.failure_challenge(result)) {
        // RFC 7628 section 3.2.3: the client's dummy answer is read and ignored.
        co_await framing(*challenge);
    }
    co_return SaslOutcome{std::move(result), std::nullopt};
}

}  // namespace govmail::auth
