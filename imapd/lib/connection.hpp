#pragma once

// One IMAP connection (internal to imapd/lib): reads commands with the protocol layer's
// CommandReader, runs them through the command table, writes the responses, and implements
// SessionIo for the handlers that talk to the client themselves (AUTHENTICATE, STARTTLS, IDLE).

#include <memory>
#include <optional>
#include <string>

#include "imapd/cmd/session.hpp"
#include "imapd/lib/server.hpp"
#include "imapd/proto/reader.hpp"

namespace govmail::imap {

class Connection final : public SessionIo {
public:
    Connection(SessionStream stream, ListenerKind kind, ImapService& service);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    boost::asio::awaitable<void> run();

    // SessionIo
    boost::asio::awaitable<bool> flush() override;
    boost::asio::awaitable<std::optional<std::string>> read_line() override;
    boost::asio::awaitable<bool> start_tls() override;
    boost::asio::awaitable<IdleEvent> idle_wait() override;
    void follow(std::optional<MailboxKey> mailbox) override;
    bool take_changes() override { return watch_->take_changed(); }
    bool tls_active() const override { return stream_.is_tls(); }
    SSL* tls_handle() const override { return stream_.tls_handle(); }
    boost::asio::ip::address peer() const override { return stream_.peer_address(); }

private:
    using Clock = SessionStream::Clock;

    // The next command, or nullopt when the session must end (the BYE is queued).
    boost::asio::awaitable<std::optional<Command>> next_command();
    // Reads more input; false (BYE queued) on EOF, timeout or shutdown. With WAKE_ON_CHANGE a
    // mailbox change also ends the wait, returning true with nothing read.
    boost::asio::awaitable<bool> read_more(bool wake_on_change);
    // Sends the replies collected so far, then waits for more input; false when the
    // connection is done.
    boost::asio::awaitable<bool> answer_then_read();
    // Starts the time allowed for the next command, line or IDLE wait: the login or idle
    // timeout for the whole of it, however the client spreads its bytes (a client sending one
    // byte a second is not given more time by each byte).
    void start_deadline();
    // True (BYE queued) when the session must end: shutdown, or the account was disabled.
    bool ending();
    void bye(std::string_view text);

    SessionStream stream_;
    ListenerKind kind_;
    ImapService& service_;
    std::shared_ptr<SessionWatch> watch_;
    CommandReader reader_;
    std::string input_;
    Session session_;
    std::size_t bad_commands_ = 0;
    Clock::time_point deadline_;
    bool closed_ = false;  // BYE sent or connection lost
};

}  // namespace govmail::imap
