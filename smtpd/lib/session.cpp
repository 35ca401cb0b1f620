#include "smtpd/lib/session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/sasl_server.hpp"
#include "common/logging.hpp"
#include "smtpd/proto/command_parser.hpp"
#include "smtpd/proto/reply.hpp"

namespace govmail::smtpd {
namespace asio = boost::asio;
using asio::awaitable;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMxLineLimit = 2048;  // room for ESMTP parameters (RFC 1869 4.1.2)

}  // namespace

Session::Session(SessionStream stream, ListenerKind kind, SmtpContext& ctx)
    : stream_(std::move(stream)),
      kind_(kind),
      ctx_(ctx),
      watch_(std::make_shared<SessionWatch>(stream_.get_executor())),
      lines_(kind == ListenerKind::Mx ? kMxLineLimit : smtp::kMaxAuthLine) {
    ctx_.sessions.add(watch_);
}

Session::~Session() { ctx_.sessions.remove(watch_); }

bool Session::ending() {
    const auto reason = watch_->end_reason();
    if (!reason) {
        return false;
    }
    if (*reason == SessionEnd::Shutdown) {
        reply(421, "4.3.2", ctx_.config.hostname + " Service shutting down");
    } else {
        reply(421, "4.7.0", ctx_.config.hostname + " Account disabled; closing connection");
    }
    return true;
}

void Session::reply(int code, std::string_view enhanced, std::string_view text) {
    output_ += smtp::format_reply(code, enhanced, text);
}

void Session::reply(const smtp::Error& error) { reply(error.code, error.enhanced, error.text); }

awaitable<bool> Session::flush() {
    if (output_.empty()) {
        co_return true;
    }
    boost::system::error_code ec;
    co_await stream_.write(output_, ec);
    output_.clear();
    co_return !ec;
}

awaitable<bool> Session::read_more(Clock::time_point deadline) {
    if (ending()) {
        co_return false;
    }
    boost::system::error_code ec;
    const auto woken =
        co_await (stream_.read_some(input_, kReadChunk, deadline, ec) || watch_->wait(false));
    if (woken.index() == 1) {
        ending();
        co_return false;
    }
    if (ec == asio::error::timed_out) {
        reply(421, "4.4.2", ctx_.config.hostname + " Error: timeout exceeded");
    }
    co_return !ec;
}

awaitable<bool> Session::count_bad_command() {
    ++bad_commands_;
    if (bad_commands_ >= ctx_.config.smtp.max_bad_commands) {
        reply(421, "4.7.0", ctx_.config.hostname + " Error: too many errors");
        co_return false;
    }
    // Tarpit: each further error costs the client a growing wait (Postfix error_sleep).
    const auto delay = policy::tarpit_delay(ctx_.config.smtp, bad_commands_);
    if (delay.count() > 0) {
        asio::steady_timer timer(stream_.get_executor());
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
    return policy::Client{is_submission(), stream_.peer_address(), account_ ? &*account_ : nullptr};
}

awaitable<std::optional<std::string>> Session::next_line() {
    const auto deadline = Clock::now() + ctx_.config.smtp.command_timeout;
    for (;;) {
        std::string_view pending(input_);
        auto result = lines_.read(pending);
        const auto consumed = input_.size() - pending.size();
        if (auto* line = std::get_if<smtp::Line>(&result)) {
            std::string text(line->text);
            input_.erase(0, consumed);
            co_return text;
        }
        input_.erase(0, consumed);
        if (auto* error = std::get_if<smtp::Error>(&result)) {
            const bool keep_going = co_await reject(*error);
            if (!keep_going) {
                co_return std::nullopt;
            }
            continue;
        }
        // Nothing complete is pending: answer what was pipelined, then wait for more.
        // (No co_await inside && or ||: g++ 12 miscompiles it.)
        const bool flushed = co_await flush();
        if (!flushed) {
            co_return std::nullopt;
        }
        const bool received = co_await read_more(deadline);
        if (!received) {
            co_return std::nullopt;
        }
    }
}

awaitable<void> Session::run() {
    if (kind_ == ListenerKind::Submissions) {
        boost::system::error_code ec;
        co_await stream_.start_tls(ctx_.tls, kTlsHandshakeTimeout, ec);
        if (ec) {
            spdlog::info(
                "smtp {}: TLS handshake failed: {}", stream_.peer_address().to_string(),
                ec.message()
            );
            co_await stream_.close();
            co_return;
        }
    }
    reply(220, "", ctx_.config.hostname + " ESMTP govmail");
    while (!quit_) {
        if (ending()) {
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
                "smtp {}: bad command '{}'", stream_.peer_address().to_string(), printable(*line)
            );
            const bool keep_going = co_await reject(*error);
            if (!keep_going) {
                break;
            }
            continue;
        }
        co_await run_command(*this, std::get<smtp::Command>(parsed));
    }
    co_await flush();
    co_await stream_.close();
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

awaitable<void> serve_smtp(SessionStream stream, ListenerKind kind, SmtpContext& ctx) {
    Session session(std::move(stream), kind, ctx);
    co_await session.run();
}

}  // namespace govmail::smtpd
