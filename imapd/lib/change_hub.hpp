#pragma once

// Fans mailbox changes out to the sessions of one daemon. One storage listener per daemon
// (LISTEN/NOTIFY, so changes made by other processes arrive too) publishes here; each session
// that has a mailbox selected follows it with its SessionWatch, which wakes the session on its
// own executor.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "runtime/session_watch.hpp"
#include "storage/change_listener.hpp"

namespace govmail::imap {

using MailboxKey = std::pair<storage::AccountId, storage::MailboxId>;

class ChangeHub {
public:
    // From now on WATCH hears of changes to MAILBOX only (nothing when nullopt).
    void follow(const std::shared_ptr<SessionWatch>& watch, std::optional<MailboxKey> mailbox);
    // Account 0 means "anything may have changed": every following session is told.
    void publish(const storage::MailboxChange& change);

private:
    std::mutex mutex_;
    std::map<const SessionWatch*, std::pair<std::shared_ptr<SessionWatch>, MailboxKey>> following_;
    std::map<MailboxKey, std::set<const SessionWatch*>> followers_;
};

}  // namespace govmail::imap
