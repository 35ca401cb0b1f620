// AUTH (RFC 4954) on the submission listeners, after TLS only (the command table's flags), with
// auth::SaslServer's mechanisms (PLAIN, LOGIN, EXTERNAL, OAUTHBEARER, XOAUTH2). This file does
// only SMTP's framing of the exchange: 334 challenges, base64 lines, "*" to cancel;
// auth::Authenticator decides.

#include <spdlog/spdlog.h>

#include "auth/sasl_server.hpp"
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
    std::optional<std::string> initial;
    if (auth.initial_response) {
        auto decoded = smtp::decode_initial_response(*auth.initial_response);
        if (auto* error = std::get_if<smtp::Error>(&decoded)) {
            reply(*error);
            co_return;
        }
        initial = std::get<std::string>(std::move(decoded));
    }
    const auto mechanism = auth::parse_sasl_mechanism(auth.mechanism);
    if (!mechanism) {
        reply(504, "5.5.4", "Unrecognized authentication mechanism");
        co_return;
    }
    const auto connection = auth::connection_attempt(
        auth::Service::Smtp, loop_.stream().tls_handle(), loop_.stream().peer_address()
    );
    const auto outcome = co_await auth::run_sasl(
        *ctx_.authenticator, auth::SaslServer(*mechanism, connection),
        [this](std::string_view challenge) { return sasl_response(challenge); }, std::move(initial)
    );
    if (outcome.malformed) {
        reply(501, "5.5.2", std::string(*outcome.malformed));
        co_return;
    }
    if (outcome.result && !quit_) {
        co_await finish_login(*outcome.result);
    }
}

awaitable<void> Session::finish_login(const auth::LoginResult& result) {
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
