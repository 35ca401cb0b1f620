#include "imapd/lib/connection.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "common/logging.hpp"
#include "imapd/cmd/command_table.hpp"
#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {
namespace asio = boost::asio;
using asio::awaitable;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kKeptOutputCapacity = 1024;
constexpr auto kTlsHandshakeTimeout = std::chrono::seconds(30);

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

}  // namespace

Connection::Connection(SessionStream stream, ListenerKind kind, ImapService& service)
    : stream_(std::move(stream)),
      kind_(kind),
      service_(service),
      watch_(std::make_shared<SessionWatch>(stream_.get_executor())),
      reader_(limits_before_login()),
      session_(service.context(), *this, next_session_id()) {
    service_.sessions().add(watch_);
}

Connection::~Connection() {
    service_.hub().follow(watch_, std::nullopt);
    service_.sessions().remove(watch_);
}

void Connection::bye(std::string_view text) {
    if (!closed_) {
        session_.untagged("BYE " + std::string(text));
        closed_ = true;
    }
}

void Connection::start_deadline() {
    const auto& imap = service_.config().imap;
    deadline_ = Clock::now() + (session_.state == State::NotAuthenticated ? imap.login_timeout
                                                                          : imap.idle_timeout);
}

awaitable<bool> Connection::flush() {
    if (session_.out.empty()) {
        co_return true;
    }
    boost::system::error_code ec;
    co_await stream_.write(session_.out, ec);
    // A large reply (a FETCH or SEARCH of many messages) is not kept while the session waits.
    if (session_.out.capacity() > kKeptOutputCapacity) {
        std::string().swap(session_.out);
    } else {
        session_.out.clear();
    }
    if (ec) {
        closed_ = true;
    }
    co_return !ec;
}

bool Connection::ending() {
    const auto reason = watch_->end_reason();
    if (!reason) {
        return false;
    }
    bye(*reason == SessionEnd::Shutdown ? "Server shutting down"
                                        : "Account disabled; contact your administrator");
    return true;
}

awaitable<bool> Connection::read_more(bool wake_on_change) {
    if (ending()) {
        co_return false;
    }
    boost::system::error_code ec;
    auto result = co_await (
        stream_.read_some(input_, kReadChunk, deadline_, ec) || watch_->wait(wake_on_change)
    );
    if (result.index() == 1) {
        co_return !ending();
    }
    if (ec == asio::error::timed_out) {
        bye("Autologout; idle for too long");
    } else if (ec) {
        closed_ = true;  // EOF or reset: nobody to tell
    }
    co_return !ec;
}

awaitable<std::optional<Command>> Connection::next_command() {
    start_deadline();
    for (;;) {
        std::string_view pending(input_);
        auto event = reader_.next_command(pending);
        input_.erase(0, input_.size() - pending.size());
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
            if (error->fatal) {
                closed_ = true;
                co_return std::nullopt;
            }
            if (++bad_commands_ >= service_.config().imap.max_bad_commands) {
                bye("Too many invalid commands");
                co_return std::nullopt;
            }
            start_deadline();
            continue;
        }
        const bool more = co_await answer_then_read();
        if (!more) {
            co_return std::nullopt;
        }
    }
}

awaitable<bool> Connection::answer_then_read() {
    const bool written = co_await flush();
    if (!written) {
        co_return false;
    }
    co_return co_await read_more(false);
}

awaitable<std::optional<std::string>> Connection::read_line() {
    start_deadline();
    for (;;) {
        std::string_view pending(input_);
        auto event = reader_.next_line(pending);
        input_.erase(0, input_.size() - pending.size());
        if (auto* line = std::get_if<Line>(&event)) {
            co_return std::move(line->text);
        }
        if (auto* error = std::get_if<Error>(&event)) {
            session_.out += error_response(Error{error->kind, error->text, true});
            closed_ = true;
            co_return std::nullopt;
        }
        const bool more = co_await answer_then_read();
        if (!more) {
            co_return std::nullopt;
        }
    }
}

awaitable<IdleEvent> Connection::idle_wait() {
    start_deadline();
    for (;;) {
        std::string_view pending(input_);
        auto event = reader_.next_line(pending);
        input_.erase(0, input_.size() - pending.size());
        if (auto* line = std::get_if<Line>(&event)) {
            co_return IdleEvent{IdleWake::Line, std::move(line->text)};
        }
        if (auto* error = std::get_if<Error>(&event)) {
            session_.out += error_response(Error{error->kind, error->text, true});
            closed_ = true;
            co_return IdleEvent{};
        }
        if (watch_->take_changed()) {
            co_return IdleEvent{IdleWake::Changed, {}};
        }
        const bool written = co_await flush();
        if (!written) {
            co_return IdleEvent{};
        }
        const bool open = co_await read_more(true);
        if (!open) {
            co_return IdleEvent{};
        }
    }
}

awaitable<bool> Connection::start_tls() {
    const bool written = co_await flush();
    if (!written) {
        co_return false;
    }
    // RFC 3501 6.2.1 and CVE-2011-0411: plaintext pipelined after STARTTLS is discarded.
    input_.clear();
    reader_.reset();
    boost::system::error_code ec;
    co_await stream_.start_tls(service_.tls(), kTlsHandshakeTimeout, ec);
    if (ec) {
        spdlog::info("imap {}: STARTTLS handshake failed: {}", session_.id, ec.message());
        closed_ = true;
        co_return false;
    }
    co_return true;
}

void Connection::follow(std::optional<MailboxKey> mailbox) {
    service_.hub().follow(watch_, mailbox);
    watch_->take_changed();
}

awaitable<void> Connection::run() {
    spdlog::info("imap {}: connection from {}", session_.id, peer().to_string());
    if (kind_ == ListenerKind::Imaps) {
        boost::system::error_code ec;
        co_await stream_.start_tls(service_.tls(), kTlsHandshakeTimeout, ec);
        if (ec) {
            spdlog::info("imap {}: TLS handshake failed: {}", session_.id, ec.message());
            co_await stream_.close();
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
            service_.sessions().logged_in(watch_, session_.account_id());
        }
    }
    co_await flush();
    co_await stream_.close();
    spdlog::info("imap {}: connection closed", session_.id);
}

}  // namespace govmail::imap
