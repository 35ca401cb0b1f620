#pragma once

// One IMAP connection (internal to imapd/lib): reads commands with the protocol layer's
// CommandReader, runs them through the command table, writes the responses, and implements
// SessionIo for the handlers that talk to the client themselves (AUTHENTICATE, STARTTLS, IDLE).
// The session loop (runtime/session_loop.hpp) reads, writes and keeps the deadlines.

#include <memory>
#include <optional>
#include <string>

#include "imapd/cmd/session.hpp"
#include "imapd/lib/server.hpp"
#include "imapd/proto/reader.hpp"
#include "runtime/session_loop.hpp"

namespace govmail::imap {

class Connection final : public SessionIo, public SessionProtocol {
public:
    Connection(std::unique_ptr<ByteStream> stream, ListenerKind kind, ImapService& service);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    boost::asio::awaitable<void> run();

    // SessionIo
    boost::asio::awaitable<bool> flush() override { return loop_.flush(); }
    boost::asio::awaitable<std::optional<std::string>> read_line() override;
    boost::asio::awaitable<bool> start_tls() override;
    boost::asio::awaitable<IdleEvent> idle_wait() override;
    void follow(std::optional<MailboxKey> mailbox) override;
    bool take_changes() override { return loop_.watch()->take_changed(); }
    bool tls_active() const override { return loop_.stream().is_tls(); }
    SSL* tls_handle() const override { return loop_.stream().tls_handle(); }
    boost::asio::ip::address peer() const override { return loop_.stream().peer_address(); }

private:
    // The next command, or nullopt when the session must end (the BYE is queued). The whole
    // of it, as of a line or an IDLE wait, must arrive within the login or idle timeout
    // (a client sending one byte a second is not given more time by each byte).
    boost::asio::awaitable<std::optional<Command>> next_command();
    // The BYE the session loop ends the session with.
    void say_farewell(Farewell farewell) override;

    ListenerKind kind_;
    ImapService& service_;
    CommandReader reader_;
    Session session_;
    SessionLoop loop_;
};

}  // namespace govmail::imap
