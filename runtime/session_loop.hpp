#pragma once

// The part of every client session that is not its protocol (SMTP, IMAP, ManageSieve): the
// stream and its read buffer, the deadline of each command, writing the queued replies,
// STARTTLS, the end of the session at shutdown or when its account is disabled, and the count
// of bad commands before the client is dropped. Each protocol keeps its grammar and commands
// and says the loop's farewells in its own words.
//
// Sessions talk to untrusted clients: every read has a deadline set for the whole command
// (a client trickling one byte at a time gets no more time), the input buffer grows only by
// what the protocol's reader accepts, and plaintext pipelined after STARTTLS is thrown away
// (RFC 3207 4.2, RFC 3501 6.2.1, CVE-2011-0411).

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/byte_stream.hpp"
#include "runtime/session_registry.hpp"
#include "runtime/session_watch.hpp"

namespace govmail {

// Why the loop ends a session; the protocol queues the words for it (a BYE, a 421).
enum class Farewell {
    Shutdown,         // the daemon is stopping
    AccountDisabled,  // the account may no longer log in
    Timeout,          // the command did not arrive before its deadline
    TooManyErrors,    // max_bad_commands bad commands
};

// A protocol's limits, from its section of the configuration.
struct SessionLimits {
    std::chrono::seconds login_timeout{60};   // for each command before login
    std::chrono::seconds idle_timeout{1800};  // for each command after login
    std::size_t max_bad_commands = 10;        // the session ends at this many
};

// What a daemon gives the loop of each of its sessions: the registry that ends them (at
// shutdown, or when their account is disabled) and its protocol's limits.
struct SessionSettings {
    SessionRegistry& sessions;
    SessionLimits limits;
};

// A protocol's words for each farewell, in the order of Farewell.
template <class Words>
using FarewellTable = std::array<Words, 4>;

template <class Words>
const Words& words_for(const FarewellTable<Words>& table, Farewell farewell) {
    return table.at(static_cast<std::size_t>(farewell));
}

// The BYE texts of IMAP and ManageSieve, which say the timeout each in its own words.
constexpr FarewellTable<std::string_view> bye_texts(std::string_view timeout) {
    return {
        "Server shutting down", "Account disabled; contact your administrator", timeout,
        "Too many invalid commands"};
}

// The limits of a configuration section with login_timeout, idle_timeout and
// max_bad_commands ([imap], [managesieve]).
template <class Section>
SessionLimits limits_of(const Section& section) {
    return SessionLimits{section.login_timeout, section.idle_timeout, section.max_bad_commands};
}

// The protocol's side of the loop: it queues the words the loop ends a session with.
class SessionProtocol {
public:
    virtual void say_farewell(Farewell farewell) = 0;

protected:
    SessionProtocol() = default;
    ~SessionProtocol() = default;
    SessionProtocol(const SessionProtocol&) = default;
    SessionProtocol& operator=(const SessionProtocol&) = default;
    SessionProtocol(SessionProtocol&&) = default;
    SessionProtocol& operator=(SessionProtocol&&) = default;
};

class SessionLoop {
public:
    using Clock = ByteStream::Clock;

    // OUTPUT is PROTOCOL's buffer of queued replies, which flush() writes; the session is in
    // SETTINGS' registry until the loop is gone.
    SessionLoop(
        std::unique_ptr<ByteStream> stream,
        std::string& output,
        const SessionSettings& settings,
        SessionProtocol& protocol
    );
    ~SessionLoop();
    SessionLoop(const SessionLoop&) = delete;
    SessionLoop& operator=(const SessionLoop&) = delete;

    ByteStream& stream() { return *stream_; }
    const ByteStream& stream() const { return *stream_; }
    // What the client sent and the protocol has not consumed yet.
    std::string& input() { return input_; }
    const std::shared_ptr<SessionWatch>& watch() const { return watch_; }
    // The farewell was said or the connection is lost: nothing more is read.
    bool over() const { return farewell_said_ || lost_; }

    // Starts the time allowed for the next command (the login or idle timeout, times
    // MULTIPLE for a long phase such as a message's DATA) for the whole of it.
    void start_deadline(unsigned multiple = 1);

    // Writes the queued replies; false when the connection is lost.
    boost::asio::awaitable<bool> flush();
    // Reads more input before the deadline; false (farewell queued unless the connection was
    // lost) on EOF, timeout, shutdown or a disabled account. With WAKE_ON_CHANGE a change the
    // session follows also ends the wait, returning true with nothing read.
    boost::asio::awaitable<bool> read_more(bool wake_on_change = false);
    // flush(), then read_more().
    boost::asio::awaitable<bool> answer_then_read(bool wake_on_change = false);
    // True (farewell queued) when the session must end: shutdown, or the account was disabled.
    bool ending();

    // Counts one bad command; true when it was one too many (farewell queued).
    bool count_bad_command();
    std::size_t bad_commands() const { return bad_commands_; }

    // TLS on connection (implicit-TLS ports); false when the handshake failed.
    boost::asio::awaitable<bool> handshake(boost::asio::ssl::context& tls);
    // STARTTLS after its positive reply was queued: writes the reply, throws away what the
    // client pipelined, then makes the handshake; false when the session must end. The
    // protocol then resets its reader and state.
    boost::asio::awaitable<bool> start_tls(boost::asio::ssl::context& tls);

    // The session is now logged in as ACCOUNT: the idle timeout applies from the next command.
    void logged_in(std::int64_t account);

    // Writes the queued replies and closes the stream.
    boost::asio::awaitable<void> close();

private:
    void say(Farewell farewell);

    std::unique_ptr<ByteStream> stream_;
    std::string& output_;
    SessionRegistry& sessions_;
    SessionLimits limits_;
    SessionProtocol& protocol_;
    std::shared_ptr<SessionWatch> watch_;
    std::string input_;
    Clock::time_point deadline_{};
    std::size_t bad_commands_ = 0;
    bool logged_in_ = false;
    bool farewell_said_ = false;
    bool lost_ = false;
};

}  // namespace govmail
