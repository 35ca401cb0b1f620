#pragma once

// Wakes one client session on its own executor from anywhere in the daemon: when something it
// follows changed (a mailbox, for IMAP) or when it must end (shutdown, or its account may no
// longer log in). A session awaits wait() next to its socket read, so it ends within moments
// even while it sits idle between commands or in IDLE.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>

namespace govmail {

enum class SessionEnd {
    Shutdown,         // the daemon is stopping
    AccountDisabled,  // the account may no longer log in (retired, suspended, locked, deleted)
};

// notify_change() and end() may be called from any thread; the rest runs on the session's
// executor.
class SessionWatch : public std::enable_shared_from_this<SessionWatch> {
public:
    explicit SessionWatch(boost::asio::any_io_executor ex);

    void notify_change();
    // The session must end, for REASON; the first reason given wins.
    void end(SessionEnd reason);

    // Clears and returns whether a change arrived since the last call.
    bool take_changed();
    // Why the session must end, once end() was called.
    std::optional<SessionEnd> end_reason() const { return end_reason_; }
    // Returns once the session must end, or also at a change when WITH_CHANGES (immediately
    // if one is pending).
    boost::asio::awaitable<void> wait(bool with_changes);

private:
    boost::asio::steady_timer timer_;
    bool changed_ = false;
    std::optional<SessionEnd> end_reason_;
};

}  // namespace govmail
