// STARTTLS (RFC 3501 section 6.2.1), LOGIN and AUTHENTICATE (RFC 3501 sections 6.2.2-3,
// RFC 4959 SASL-IR). The mechanisms are auth::SaslServer's (PLAIN, LOGIN, EXTERNAL,
// OAUTHBEARER, XOAUTH2); this file does only IMAP's framing of the exchange: "+ " continuations,
// base64 lines, "*" to cancel. auth::Authenticator decides. Credentials are never logged.

#include <spdlog/spdlog.h>

#include "auth/sasl_server.hpp"
#include "common/base64.hpp"
#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {
namespace {

// A SASL message the client sent: decoded bytes, or the reply that ends the exchange.
using SaslMessage = std::variant<std::string, Reply>;

SaslMessage decode_sasl(std::string_view text) {
    if (text == "*") {
        return Reply::bad("Authentication cancelled");
    }
    if (text == "=") {
        return std::string();
    }
    auto decoded = decode_base64_strict(text);
    if (!decoded) {
        return Reply::bad("Invalid base64 in SASL response");
    }
    return std::move(*decoded);
}

// Sends a challenge and reads the client's response.
Awaitable<SaslMessage> sasl_exchange(Session& s, std::string_view challenge) {
    s.out += continuation_response(encode_base64(challenge));
    auto line = co_await s.io.read_line();
    if (!line) {
        s.state = State::Logout;
        co_return Reply::none();
    }
    co_return decode_sasl(*line);
}

// The reply to the Authenticator's RESULT.
Reply login_reply(Session& s, const auth::LoginResult& result) {
    if (result.account) {
        s.account = result.account;
        s.state = State::Authenticated;
        spdlog::info("imap {}: logged in as {}", s.id, s.account->address);
        return Reply::ok("[CAPABILITY " + capabilities(s) + "] Logged in");
    }
    if (result.temporary) {
        return refuse("UNAVAILABLE", "Temporary authentication failure, try again later");
    }
    return refuse(
        "AUTHENTICATIONFAILED",
        result.failure_text.empty() ? "Authentication failed" : result.failure_text
    );
}

Reply login_unavailable() {
    return refuse("UNAVAILABLE", "Login is not available yet, try again later");
}

auth::LoginAttempt connection_facts(const Session& s) {
    return auth::connection_attempt(auth::Service::Imap, s.io.tls_handle(), s.io.peer());
}

}  // namespace

Awaitable<Reply> handle_starttls(Session& s, const StartTls&) {
    if (s.io.tls_active()) {
        co_return Reply::bad("TLS is already active");
    }
    s.out += tagged_response(s.tag, ReplyStatus::Ok, "Begin TLS negotiation now");
    const bool secured = co_await s.io.start_tls();
    if (!secured) {
        s.state = State::Logout;
    }
    co_return Reply::none();
}

Awaitable<Reply> handle_login(Session& s, const Login& c) {
    if (s.server.authenticator == nullptr) {
        co_return login_unavailable();
    }
    auto attempt = connection_facts(s);
    attempt.method = auth::Method::Password;
    attempt.user = c.username;
    attempt.secret = c.password;
    co_return login_reply(s, co_await s.server.authenticator->login(attempt));
}

Awaitable<Reply> handle_authenticate(Session& s, const Authenticate& c) {
    const auto mechanism = auth::parse_sasl_mechanism(c.mechanism);
    if (!mechanism) {
        co_return Reply::no("Unsupported authentication mechanism");
    }
    if (s.server.authenticator == nullptr) {
        co_return login_unavailable();
    }
    std::optional<std::string> initial;
    if (c.initial_response) {
        auto decoded = decode_sasl(*c.initial_response);
        if (auto* reply = std::get_if<Reply>(&decoded)) {
            co_return *reply;
        }
        initial = std::get<std::string>(std::move(decoded));
    }
    Reply ended = Reply::none();  // how the exchange ended, when it ended before a login
    auto framing = [&s,
                    &ended](std::string_view challenge) -> Awaitable<std::optional<std::string>> {
        auto message = co_await sasl_exchange(s, challenge);
        if (auto* reply = std::get_if<Reply>(&message)) {
            ended = *reply;
            co_return std::nullopt;
        }
        co_return std::get<std::string>(std::move(message));
    };
    const auto outcome = co_await auth::run_sasl(
        *s.server.authenticator, auth::SaslServer(*mechanism, connection_facts(s)), framing,
        std::move(initial)
    );
    if (s.state == State::Logout) {
        co_return Reply::none();
    }
    if (outcome.malformed) {
        co_return Reply::bad(std::string(*outcome.malformed));
    }
    if (!outcome.result) {
        co_return ended;
    }
    co_return login_reply(s, *outcome.result);
}

}  // namespace govmail::imap
