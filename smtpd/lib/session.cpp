#include "smtpd/lib/session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/sasl_server.hpp"
#include "common/logging.hpp"
#include "smtpd/proto/command_parser.hpp"
#include "smtpd/proto/reply.hpp"

namespace govmail::smtpd {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr std::size_t kMxLineLimit = 2048;  // room for ESMTP parameters (RFC 1869 4.1.2)

// The 421 replies that end a session: enhanced status code and text after the host name.
struct FarewellReply {
    std::string_view enhanced;
    std::string_view text;
};

constexpr FarewellTable<FarewellReply> kFarewells = {{
    {"4.3.2", "Service shutting down"},
    {"4.7.0", "Account disabled; closing connection"},
    {"4.4.2", "Error: timeout exceeded"},
    {"4.7.0", "Error: too many errors"},
}};

// SMTP gives every command the same time, logged in or not.
SessionSettings session_settings(SmtpContext& ctx) {
    const auto& smtp = ctx.config.smtp;
    return {ctx.sessions, {smtp.command_timeout, smtp.command_timeout, smtp.max_bad_commands}};
}

}  // namespace

Session::Session(std::unique_ptr<ByteStream> stream, ListenerKind kind, SmtpContext& ctx)
    : kind_(kind),
      ctx_(ctx),
      lines_(kind == ListenerKind::Mx ? kMxLineLimit : smtp::kMaxAuthLine),
      loop_(std::move(stream), output_, session_settings(ctx), *this) {}

void Session::say_farewell(Farewell farewell) {
    const auto& [enhanced, text] = words_for(kFarewells, farewell);
    reply(421, enhanced, ctx_.config.hostname + " " + std::string(text));
}

void Session::reply(int code, std::string_view enhanced, std::string_view text) {
    output_ += smtp::format_reply(code, enhanced, text);
}

void Session::reply(const smtp::Error& error) { reply(error.code, error.enhanced, error.text); }

awaitable<bool> Session::count_bad_command() {
    if (loop_.count_bad_command()) {
        co_return false;
    }
    // Tarpit: each further error costs the client a growing wait (Postfix error_sleep).
    const auto delay = policy::tarpit_delay(ctx_.config.smtp, loop_.bad_commands());
    if (delay.count() > 0) {
        asio::steady_timer timer(loop_.stream().get_executor());
        timer.expires_after(delay);
        co_await timer.async_wait(asio::use_awaitable);
    }
    co_return true;
}

awaitable<bool> Session::reject(const smtp::Error& error) {
    reply(error);
    if (error.fatal) {
        co_return false;
    }
    co_return co_await count_bad_command();
}

awaitable<void> Session::refuse(const smtp::Error& refusal) {
    const bool keep_going = co_await reject(refusal);
    if (!keep_going) {
        quit_ = true;
    }
}

policy::Client Session::policy_client() const {
    return policy::Client{
        is_submission(), loop_.stream().peer_address(), account_ ? &*account_ : nullptr};
}

awaitable<std::optional<std::string>> Session::next_line() {
    loop_.start_deadline();
    for (;;) {
        auto& input = loop_.input();
        std::string_view pending(input);
        auto result = lines_.read(pending);
        const auto consumed = input.size() - pending.size();
        if (auto* line = std::get_if<smtp::Line>(&result)) {
            std::string text(line->text);
            input.erase(0, consumed);
            co_return text;
        }
        input.erase(0, consumed);
        if (auto* error = std::get_if<smtp::Error>(&result)) {
            const bool keep_going = co_await reject(*error);
            if (!keep_going) {
                co_return std::nullopt;
            }
            continue;
        }
        // Nothing complete is pending: answer what was pipelined, then wait for more.
        const bool received = co_await loop_.answer_then_read();
        if (!received) {
            co_return std::nullopt;
        }
    }
}

awaitable<void> Session::run() {
    if (kind_ == ListenerKind::Submissions) {
        const bool secured = co_await loop_.handshake(ctx_.tls);
        if (!secured) {
            co_await loop_.close();
            co_return;
        }
    }
    reply(220, "", ctx_.config.hostname + " ESMTP govmail");
    while (!quit_) {
        if (loop_.ending()) {
            break;
        }
        auto line = co_await next_line();
        if (!line) {
            break;
        }
        const smtp::CommandContext context{transaction_ && transaction_->params.smtputf8};
        auto parsed = smtp::parse_command(*line, context);
        if (auto* error = std::get_if<smtp::Error>(&parsed)) {
            spdlog::debug(
                "smtp {}: bad command '{}'", loop_.stream().peer_address().to_string(),
                printable(*line)
            );
            const bool keep_going = co_await reject(*error);
            if (!keep_going) {
                break;
            }
            continue;
        }
        co_await run_command(*this, std::get<smtp::Command>(parsed));
    }
    co_await loop_.close();
}

SequenceState Session::sequence_state() const {
    return SequenceState{
        is_submission() && ctx_.authenticator != nullptr,
        tls_active(),
        account_.has_value(),
        !helo_.empty(),
        transaction_.has_value(),
        transaction_ && !transaction_->recipients.empty(),
        transaction_ && transaction_->chunks.has_value(),
    };
}

awaitable<void> serve_smtp(
    std::unique_ptr<ByteStream> stream, ListenerKind kind, SmtpContext& ctx
) {
    Session session(std::move(stream), kind, ctx);
    co_await session.run();
}

}  // namespace govmail::smtpd
