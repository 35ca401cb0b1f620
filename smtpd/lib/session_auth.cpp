// AUTH (RFC 4954) on the submission listeners, after TLS only: PLAIN (RFC 4616), LOGIN,
// EXTERNAL (the TLS client certificate), OAUTHBEARER (RFC 7628) and XOAUTH2. The session
// does the SASL framing; auth::Authenticator decides.

#include <spdlog/spdlog.h>

#include "auth/sasl_messages.hpp"
#include "common/base64.hpp"
#include "smtpd/lib/session.hpp"
#include "smtpd/proto/reply.hpp"
#include "smtpd/proto/sasl.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;

awaitable<std::optional<std::string>> Session::sasl_response(std::string_view challenge) {
    output_ += smtp::format_sasl_challenge(encode_base64(challenge));
    auto line = co_await next_line();
    if (!line) {
        quit_ = true;
        co_return std::nullopt;
    }
    auto decoded = smtp::decode_sasl_response(*line);
    if (auto* error = std::get_if<smtp::Error>(&decoded)) {
        reply(*error);
        co_return std::nullopt;
    }
    co_return std::get<std::string>(std::move(decoded));
}

awaitable<void> Session::on_auth(const smtp::Auth& auth) {
    if (!is_submission() || ctx_.authenticator == nullptr) {
        reply(502, "5.5.1", "AUTH not available on this port");
        co_return;
    }
    if (!tls_active()) {
        reply(538, "5.7.11", "Encryption required for requested authentication mechanism");
        co_return;
    }
    if (account_) {
        reply(503, "5.5.1", "Already authenticated");
        co_return;
    }
    if (transaction_) {
        reply(503, "5.5.1", "AUTH not allowed during a mail transaction");
        co_return;
    }
    std::optional<std::string> initial;
    if (auth.initial_response) {
        auto decoded = smtp::decode_initial_response(*auth.initial_response);
        if (auto* error = std::get_if<smtp::Error>(&decoded)) {
            reply(*error);
            co_return;
        }
        initial = std::get<std::string>(std::move(decoded));
    }
    auth::LoginAttempt attempt;
    attempt.tls = loop_.stream().tls_handle();
    attempt.source = loop_.stream().peer_address();
    attempt.service = "smtp";
    const auto& mech = auth.mechanism;
    auto respond = [&](std::string_view challenge) -> awaitable<std::optional<std::string>> {
        if (initial) {
            co_return std::exchange(initial, std::nullopt);
        }
        co_return co_await sasl_response(challenge);
    };
    if (mech == "PLAIN") {
        auto message = co_await respond("");
        if (!message) {
            co_return;
        }
        auto plain = smtp::parse_plain(*message);
        if (auto* error = std::get_if<smtp::Error>(&plain)) {
            reply(*error);
            co_return;
        }
        auto& credentials = std::get<smtp::PlainCredentials>(plain);
        attempt.authzid = std::move(credentials.authzid);
        attempt.user = std::move(credentials.authcid);
        attempt.secret = std::move(credentials.password);
    } else if (mech == "LOGIN") {
        auto user = co_await respond("Username:");
        if (!user) {
            co_return;
        }
        auto password = co_await sasl_response("Password:");
        if (!password) {
            co_return;
        }
        attempt.user = std::move(*user);
        attempt.secret = std::move(*password);
    } else if (mech == "EXTERNAL") {
        auto authzid = co_await respond("");
        if (!authzid) {
            co_return;
        }
        attempt.method = auth::Method::External;
        attempt.authzid = std::move(*authzid);
    } else if (mech == "OAUTHBEARER" || mech == "XOAUTH2") {
        auto message = co_await respond("");
        if (!message) {
            co_return;
        }
        const auto bearer = mech == "OAUTHBEARER" ? auth::parse_oauthbearer(*message)
                                                  : auth::parse_xoauth2(*message);
        if (!bearer) {
            reply(501, "5.5.2", "Malformed bearer token message");
            co_return;
        }
        attempt.method = auth::Method::Bearer;
        attempt.authzid = bearer->authzid;
        attempt.secret = bearer->token;
    } else {
        reply(504, "5.5.4", "Unrecognized authentication mechanism");
        co_return;
    }
    co_await finish_login(std::move(attempt), mech == "OAUTHBEARER" || mech == "XOAUTH2");
}

awaitable<void> Session::finish_login(auth::LoginAttempt attempt, bool bearer) {
    const auto result = co_await ctx_.authenticator->login(attempt);
    if (result.account) {
        account_ = result.account;
        loop_.logged_in(account_->id);
        reply(235, "2.7.0", "Authentication successful");
        co_return;
    }
    if (result.temporary) {
        reply(454, "4.7.0", "Temporary authentication failure");
        co_return;
    }
    if (bearer && !result.bearer_error_json.empty()) {
        // RFC 7628 3.2.3: the error travels in a challenge; the client answers with a dummy
        // response (OAUTHBEARER "\x01", XOAUTH2 an empty line) before the final failure.
        const auto dummy = co_await sasl_response(result.bearer_error_json);
        if (!dummy && quit_) {
            co_return;
        }
    }
    reply(
        535, "5.7.8",
        result.failure_text.empty() ? "Authentication credentials invalid" : result.failure_text
    );
    const bool keep_going = co_await count_bad_command();
    if (!keep_going) {
        quit_ = true;
    }
}

}  // namespace govmail::smtpd
