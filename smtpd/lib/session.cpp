#include "smtpd/lib/session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>

#include "common/logging.hpp"
#include "runtime/tls.hpp"
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
SessionLimits session_limits(const SmtpConfig& smtp) {
    return SessionLimits{smtp.command_timeout, smtp.command_timeout, smtp.max_bad_commands};
}

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};

}  // namespace

Session::Session(std::unique_ptr<ByteStream> stream, ListenerKind kind, SmtpContext& ctx)
    : kind_(kind),
      ctx_(ctx),
      lines_(kind == ListenerKind::Mx ? kMxLineLimit : smtp::kMaxAuthLine),
      loop_(
          std::move(stream),
          output_,
          ctx.sessions,
          session_limits(ctx.config.smtp),
          std::bind_front(&Session::say_farewell, this)
      ) {}

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
        co_await dispatch(std::get<smtp::Command>(parsed));
    }
    co_await loop_.close();
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
        if (client_presented_certificate(loop_.stream().tls_handle())) {
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
    // RFC 3207 4.2 and CVE-2011-0411: plaintext pipelined after STARTTLS is discarded (by the
    // loop, with what the line reader holds), never read as if it came over TLS.
    const bool secured = co_await loop_.start_tls(ctx_.tls);
    lines_.reset();
    if (!secured) {
        quit_ = true;
        co_return;
    }
    // The session starts over (RFC 3207 4.2): forget HELO, transaction and authentication.
    helo_.clear();
    esmtp_ = false;
    account_.reset();
    reset_transaction();
}

awaitable<void> serve_smtp(
    std::unique_ptr<ByteStream> stream, ListenerKind kind, SmtpContext& ctx
) {
    Session session(std::move(stream), kind, ctx);
    co_await session.run();
}

}  // namespace govmail::smtpd
