#include "imapd/lib/connection.hpp"

#include <spdlog/spdlog.h>

#include <atomic>

#include "common/logging.hpp"
#include "imapd/cmd/command_table.hpp"
#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr auto kFarewells = bye_texts("Autologout; idle for too long");

ReaderLimits limits_before_login() { return ReaderLimits{}; }

ReaderLimits limits_after_login(const Config& config) {
    ReaderLimits limits;
    limits.max_line_length = std::size_t{64} * 1024;
    limits.max_append_size = config.imap.max_literal_bytes;
    return limits;
}

std::string next_session_id() {
    static std::atomic<std::uint64_t> counter{0};
    return "i" + std::to_string(++counter);
}

SessionSettings session_settings(ImapService& service) {
    return {service.sessions(), limits_of(service.config().imap)};
}

}  // namespace

Connection::Connection(std::unique_ptr<ByteStream> stream, ListenerKind kind, ImapService& service)
    : kind_(kind),
      service_(service),
      reader_(limits_before_login()),
      session_(service.context(), *this, next_session_id()),
      loop_(std::move(stream), session_.out, session_settings(service), *this) {}

Connection::~Connection() { service_.hub().follow(loop_.watch(), std::nullopt); }

void Connection::say_farewell(Farewell farewell) {
    session_.untagged("BYE " + std::string(words_for(kFarewells, farewell)));
}

awaitable<std::optional<Command>> Connection::next_command() {
    loop_.start_deadline();
    for (;;) {
        auto& input = loop_.input();
        std::string_view pending(input);
        auto event = reader_.next_command(pending);
        input.erase(0, input.size() - pending.size());
        if (auto* command = std::get_if<Command>(&event)) {
            co_return std::move(*command);
        }
        if (std::holds_alternative<NeedContinuation>(event)) {
            session_.out += kLiteralContinuation;
            continue;
        }
        if (auto* error = std::get_if<Error>(&event)) {
            session_.out += error_response(*error);
            spdlog::debug("imap {}: bad command: {}", session_.id, printable(error->text));
            if (error->fatal || loop_.count_bad_command()) {
                co_return std::nullopt;
            }
            loop_.start_deadline();
            continue;
        }
        const bool more = co_await loop_.answer_then_read();
        if (!more) {
            co_return std::nullopt;
        }
    }
}

awaitable<std::optional<std::string>> Connection::read_line() {
    loop_.start_deadline();
    for (;;) {
        auto& input = loop_.input();
        std::string_view pending(input);
        auto event = reader_.next_line(pending);
        input.erase(0, input.size() - pending.size());
        if (auto* line = std::get_if<Line>(&event)) {
            co_return std::move(line->text);
        }
        if (auto* error = std::get_if<Error>(&event)) {
            session_.out += error_response(Error{error->kind, error->text, true});
            co_return std::nullopt;
        }
        const bool more = co_await loop_.answer_then_read();
        if (!more) {
            co_return std::nullopt;
        }
    }
}

awaitable<IdleEvent> Connection::idle_wait() {
    loop_.start_deadline();
    for (;;) {
        auto& input = loop_.input();
        std::string_view pending(input);
        auto event = reader_.next_line(pending);
        input.erase(0, input.size() - pending.size());
        if (auto* line = std::get_if<Line>(&event)) {
            co_return IdleEvent{IdleWake::Line, std::move(line->text)};
        }
        if (auto* error = std::get_if<Error>(&event)) {
            session_.out += error_response(Error{error->kind, error->text, true});
            co_return IdleEvent{};
        }
        if (loop_.watch()->take_changed()) {
            co_return IdleEvent{IdleWake::Changed, {}};
        }
        const bool open = co_await loop_.answer_then_read(true);
        if (!open) {
            co_return IdleEvent{};
        }
    }
}

awaitable<bool> Connection::start_tls() {
    // RFC 3501 6.2.1 and CVE-2011-0411: plaintext pipelined after STARTTLS is discarded (by
    // the loop, with what the command reader holds).
    const bool secured = co_await loop_.start_tls(service_.tls());
    reader_.reset();
    co_return secured;
}

void Connection::follow(std::optional<MailboxKey> mailbox) {
    service_.hub().follow(loop_.watch(), mailbox);
    loop_.watch()->take_changed();
}

awaitable<void> Connection::run() {
    spdlog::info("imap {}: connection from {}", session_.id, peer().to_string());
    if (kind_ == ListenerKind::Imaps) {
        const bool secured = co_await loop_.handshake(service_.tls());
        if (!secured) {
            co_await loop_.close();
            co_return;
        }
    }
    session_.untagged("OK [CAPABILITY " + capabilities(session_) + "] govmail IMAP4rev1 ready");
    while (session_.state != State::Logout) {
        auto command = co_await next_command();
        if (!command) {
            break;
        }
        const auto before = session_.state;
        co_await run_command(session_, *command);
        if (before == State::NotAuthenticated && session_.state != State::NotAuthenticated) {
            reader_.set_limits(limits_after_login(service_.config()));
            loop_.logged_in(session_.account_id());
        }
    }
    co_await loop_.close();
    spdlog::info("imap {}: connection closed", session_.id);
}

}  // namespace govmail::imap
