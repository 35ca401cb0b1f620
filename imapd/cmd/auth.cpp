// STARTTLS (RFC 3501 section 6.2.1), LOGIN and AUTHENTICATE (RFC 3501 sections 6.2.2-3,
// RFC 4959 SASL-IR) with PLAIN (RFC 4616), EXTERNAL, OAUTHBEARER (RFC 7628) and XOAUTH2. The
// session does the SASL framing; auth::Authenticator decides. Credentials are never logged.

#include <spdlog/spdlog.h>

#include "auth/sasl_messages.hpp"
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

Awaitable<Reply> finish_login(Session& s, const auth::LoginAttempt& attempt, bool bearer) {
    if (s.server.authenticator == nullptr) {
        co_return refuse("UNAVAILABLE", "Login is not available yet, try again later");
    }
    const auto result = co_await s.server.authenticator->login(attempt);
    if (result.account) {
        s.account = result.account;
        s.state = State::Authenticated;
        spdlog::info("imap {}: logged in as {}", s.id, s.account->address);
        co_return Reply::ok("[CAPABILITY " + capabilities(s) + "] Logged in");
    }
    if (result.temporary) {
        co_return refuse("UNAVAILABLE", "Temporary authentication failure, try again later");
    }
    if (bearer && !result.bearer_error_json.empty()) {
        // RFC 7628 3.2.3: the error goes in a challenge; the client's dummy reply is ignored.
        co_await sasl_exchange(s, result.bearer_error_json);
        if (s.state == State::Logout) {
            co_return Reply::none();
        }
    }
    co_return refuse(
        "AUTHENTICATIONFAILED",
        result.failure_text.empty() ? "Authentication failed" : result.failure_text
    );
}

auth::LoginAttempt attempt_for(const Session& s, auth::Method method) {
    auth::LoginAttempt attempt;
    attempt.method = method;
    attempt.tls = s.io.tls_handle();
    attempt.source = s.io.peer();
    attempt.service = "imap";
    return attempt;
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
    auto attempt = attempt_for(s, auth::Method::Password);
    attempt.user = c.username;
    attempt.secret = c.password;
    co_return co_await finish_login(s, attempt, false);
}

Awaitable<Reply> handle_authenticate(Session& s, const Authenticate& c) {
    const auto& mech = c.mechanism;
    const bool bearer = mech == "OAUTHBEARER" || mech == "XOAUTH2";
    if (mech != "PLAIN" && mech != "EXTERNAL" && !bearer) {
        co_return Reply::no("Unsupported authentication mechanism");
    }
    SaslMessage message;
    if (c.initial_response) {
        message = decode_sasl(*c.initial_response);
    } else {
        message = co_await sasl_exchange(s, "");
    }
    if (auto* reply = std::get_if<Reply>(&message)) {
        co_return *reply;
    }
    const auto& data = std::get<std::string>(message);
    if (mech == "PLAIN") {
        auto plain = auth::parse_plain(data);
        if (!plain) {
            co_return Reply::bad("Malformed PLAIN message");
        }
        auto attempt = attempt_for(s, auth::Method::Password);
        attempt.authzid = std::move(plain->authzid);
        attempt.user = std::move(plain->authcid);
        attempt.secret = std::move(plain->password);
        co_return co_await finish_login(s, attempt, false);
    }
    if (mech == "EXTERNAL") {
        auto attempt = attempt_for(s, auth::Method::External);
        attempt.authzid = data;
        co_return co_await finish_login(s, attempt, false);
    }
    const auto token =
        mech == "OAUTHBEARER" ? auth::parse_oauthbearer(data) : auth::parse_xoauth2(data);
    if (!token) {
        co_return Reply::bad("Malformed bearer token message");
    }
    auto attempt = attempt_for(s, auth::Method::Bearer);
    attempt.authzid = token->authzid;
    attempt.secret = token->token;
    co_return co_await finish_login(s, attempt, true);
}

}  // namespace govmail::imap
