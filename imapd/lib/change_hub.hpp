#pragma once

// Fans mailbox changes out to the sessions of one daemon. One storage listener per daemon
// (LISTEN/NOTIFY, so changes made by other processes arrive too) publishes here; each session
// holds a Watch that wakes it on its own strand. Shutdown wakes every session.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "storage/change_listener.hpp"

namespace govmail::imap {

using MailboxKey = std::pair<storage::AccountId, storage::MailboxId>;

// One session's view of the hub. notify_*() may be called from any thread; the rest runs on
// the session's executor.
class Watch : public std::enable_shared_from_this<Watch> {
public:
    explicit Watch(boost::asio::any_io_executor ex);

    void notify_change();
    void notify_shutdown();

    // Clears and returns whether a change arrived since the last call.
    bool take_changed();
    bool shutting_down() const { return shutdown_; }
    // Returns at shutdown, or also at a change when WITH_CHANGES (immediately if one is pending).
    boost::asio::awaitable<void> wait(bool with_changes);

private:
    boost::asio::any_io_executor ex_;
    boost::asio::steady_timer timer_;
    bool changed_ = false;
    bool shutdown_ = false;
};

class ChangeHub {
public:
    void add(const std::shared_ptr<Watch>& watch);
    void remove(const std::shared_ptr<Watch>& watch);
    // From now on WATCH hears of changes to MAILBOX only (nothing when nullopt).
    void follow(const std::shared_ptr<Watch>& watch, std::optional<MailboxKey> mailbox);
    // Account 0 means "anything may have changed": every following session is told.
    void publish(const storage::MailboxChange& change);
    void shutdown();

private:
    std::mutex mutex_;
    std::map<Watch*, std::pair<std::shared_ptr<Watch>, std::optional<MailboxKey>>> watches_;
    std::map<MailboxKey, std::set<Watch*>> followers_;
    bool shut_down_ = false;
};

}  // namespace govmail::imap
