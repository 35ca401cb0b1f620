#include "smtpd/lib/session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/logging.hpp"
#include "common/tls.hpp"
#include "smtpd/proto/command_parser.hpp"
#include "smtpd/proto/reply.hpp"

namespace govmail::smtpd {
namespace asio = boost::asio;
using asio::awaitable;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMxLineLimit = 2048;  // room for ESMTP parameters (RFC 1869 4.1.2)
constexpr auto kTlsHandshakeTimeout = std::chrono::seconds(30);

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
// Spelled out for clang 14 (clang-tidy), which lacks C++20's deduction for aggregates.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

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
        co_await dispatch(std::get<smtp::Command>(parsed));
    }
    co_await flush();
    co_await stream_.close();
}

awaitable<void> Session::dispatch(const smtp::Command& command) {
    co_await std::visit(
        Overloaded{
            [&](const smtp::Helo& c) -> awaitable<void> {
                on_helo(c);
                co_return;
            },
            [&](const smtp::Ehlo& c) -> awaitable<void> {
                on_ehlo(c);
                co_return;
            },
            [&](const smtp::MailFrom& c) { return on_mail(c); },
            [&](const smtp::RcptTo& c) { return on_rcpt(c); },
            [&](const smtp::Data&) { return on_data(); },
            [&](const smtp::Bdat& c) { return on_bdat(c); },
            [&](const smtp::Rset&) -> awaitable<void> {
                reset_transaction();
                reply(250, "2.0.0", "Ok");
                co_return;
            },
            [&](const smtp::Noop&) -> awaitable<void> {
                reply(250, "2.0.0", "Ok");
                co_return;
            },
            [&](const smtp::Vrfy&) -> awaitable<void> {
                reply(
                    252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery"
                );
                co_return;
            },
            [&](const smtp::Expn&) -> awaitable<void> {
                reply(502, "5.5.1", "EXPN not available");
                co_return;
            },
            [&](const smtp::Help&) -> awaitable<void> {
                reply(214, "2.0.0", "See RFC 5321");
                co_return;
            },
            [&](const smtp::Quit&) -> awaitable<void> {
                reply(221, "2.0.0", "Bye");
                quit_ = true;
                co_return;
            },
            [&](const smtp::StartTls&) { return on_starttls(); },
            [&](const smtp::Auth& c) { return on_auth(c); },
        },
        command
    );
}

void Session::on_helo(const smtp::Helo& helo) {
    helo_ = helo.domain;
    esmtp_ = false;
    reset_transaction();
    reply(250, "", ctx_.config.hostname);
}

void Session::on_ehlo(const smtp::Ehlo& ehlo) {
    helo_ = ehlo.domain;
    esmtp_ = true;
    reset_transaction();
    smtp::EhloCapabilities caps;
    caps.size = ctx_.config.smtp.max_message_bytes;
    caps.smtputf8 = true;
    caps.dsn = true;
    caps.chunking = true;
    caps.starttls = !tls_active();
    if (auth_offered() && !account_) {
        caps.auth_mechanisms = {"PLAIN", "LOGIN"};
        if (client_presented_certificate(stream_.tls_handle())) {
            caps.auth_mechanisms.emplace_back("EXTERNAL");
        }
        caps.auth_mechanisms.emplace_back("OAUTHBEARER");
        caps.auth_mechanisms.emplace_back("XOAUTH2");
    }
    output_ += smtp::format_ehlo_reply(ctx_.config.hostname, caps);
}

awaitable<void> Session::on_starttls() {
    if (tls_active()) {
        reply(503, "5.5.1", "TLS already active");
        co_return;
    }
    reply(220, "2.0.0", "Ready to start TLS");
    const bool flushed = co_await flush();
    if (!flushed) {
        quit_ = true;
        co_return;
    }
    // RFC 3207 4.2 and CVE-2011-0411: plaintext pipelined after STARTTLS is discarded, never
    // read as if it came over TLS.
    input_.clear();
    lines_.reset();
    boost::system::error_code ec;
    co_await stream_.start_tls(ctx_.tls, kTlsHandshakeTimeout, ec);
    if (ec) {
        spdlog::info(
            "smtp {}: STARTTLS handshake failed: {}", stream_.peer_address().to_string(),
            ec.message()
        );
        quit_ = true;
        output_.clear();
        co_return;
    }
    // The session starts over (RFC 3207 4.2): forget HELO, transaction and authentication.
    helo_.clear();
    esmtp_ = false;
    account_.reset();
    reset_transaction();
}

awaitable<void> serve_smtp(SessionStream stream, ListenerKind kind, SmtpContext& ctx) {
    Session session(std::move(stream), kind, ctx);
    co_await session.run();
}

}  // namespace govmail::smtpd
