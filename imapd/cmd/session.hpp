#pragma once

// The state one IMAP session's command handlers share (RFC 3501 section 3): who is logged in,
// which mailbox is selected and the responses queued for the client. The connection (socket,
// TLS, reading, change notifications) sits behind SessionIo, so handlers run without sockets.

#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "auth/authenticator.hpp"
#include "common/config.hpp"
#include "imapd/cmd/selected_view.hpp"
#include "imapd/proto/response.hpp"
#include "storage/mailstore.hpp"

namespace govmail::imap {

enum class State { NotAuthenticated, Authenticated, Selected, Logout };

// What every session of a daemon shares.
struct ServerContext {
    const Config& config;
    storage::Mailstore& store;
    auth::Authenticator* authenticator = nullptr;  // null: LOGIN/AUTHENTICATE answer UNAVAILABLE
    std::function<std::int64_t()> now;             // unix seconds, injected for tests
};

// What IDLE wakes up for.
enum class IdleWake { Line, Changed, Ended };

struct IdleEvent {
    IdleWake wake = IdleWake::Ended;
    std::string line;  // for Line: the client's line without CRLF
};

// The connection under a session. Every call that reads ends the session (returns nullopt,
// false or Ended) on EOF, timeout or shutdown, after queuing the BYE that says why.
class SessionIo {
public:
    virtual ~SessionIo() = default;
    // Writes the queued responses; false when the connection is gone.
    virtual boost::asio::awaitable<bool> flush() = 0;
    // One line from the client (an AUTHENTICATE response), without CRLF.
    virtual boost::asio::awaitable<std::optional<std::string>> read_line() = 0;
    // Starts TLS on the connection, discarding any plaintext the client pipelined.
    virtual boost::asio::awaitable<bool> start_tls() = 0;
    // Waits for a client line or a change to the followed mailbox (IDLE, RFC 2177).
    virtual boost::asio::awaitable<IdleEvent> idle_wait() = 0;
    // Changes to this mailbox wake idle_wait(); nullopt follows none.
    virtual void follow(std::optional<std::pair<storage::AccountId, storage::MailboxId>> box) = 0;
    // True (once) when a change to the followed mailbox was announced since the last call or
    // idle_wait() woke for it.
    virtual bool take_changes() = 0;
    virtual bool tls_active() const = 0;
    virtual SSL* tls_handle() const = 0;
    virtual boost::asio::ip::address peer() const = 0;
};

// How a command completes: the tagged status line, or nothing when the handler has already
// answered (STARTTLS) or the session is over.
struct Reply {
    ReplyStatus status = ReplyStatus::Ok;
    std::string text;
    bool send = true;

    static Reply ok(std::string text) { return {ReplyStatus::Ok, std::move(text)}; }
    static Reply no(std::string text) { return {ReplyStatus::No, std::move(text)}; }
    static Reply bad(std::string text) { return {ReplyStatus::Bad, std::move(text)}; }
    static Reply none() { return {ReplyStatus::Ok, {}, false}; }
};

struct Session {
    Session(ServerContext& server_context, SessionIo& session_io, std::string session_id)
        : server(server_context), io(session_io), id(std::move(session_id)) {}

    ServerContext& server;
    SessionIo& io;
    std::string id;   // for log lines
    std::string tag;  // of the command being handled
    State state = State::NotAuthenticated;
    std::optional<storage::Account> account;
    std::optional<SelectedView> selected;
    bool condstore = false;  // CONDSTORE enabled: FETCH responses carry MODSEQ
    bool imap4rev2 = false;  // ENABLE IMAP4rev2: RFC 9051's responses (imapd/cmd/rev2.hpp)
    bool qresync = false;    // QRESYNC enabled (RFC 7162 3.2): VANISHED replaces EXPUNGE
    std::string out;         // responses not yet written

    void untagged(std::string_view text) { out += untagged_response(text); }
    storage::AccountId account_id() const { return account ? account->id : 0; }
};

}  // namespace govmail::imap
