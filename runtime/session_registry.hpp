#pragma once

// Every open session of one daemon, by the account it is logged in as. The daemon ends them
// all at shutdown, and ends one account's sessions when that account may no longer log in
// (retired, suspended, locked, deleted: auth/account_sessions.hpp acts on the notification of
// storage/account_events.hpp). Thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "runtime/session_watch.hpp"

namespace govmail {

class SessionRegistry {
public:
    using AccountId = std::int64_t;

    // Registers WATCH (not logged in yet); a registry that was shut down ends it at once.
    void add(const std::shared_ptr<SessionWatch>& watch);
    void remove(const std::shared_ptr<SessionWatch>& watch);
    // WATCH's session is now logged in as ACCOUNT.
    void logged_in(const std::shared_ptr<SessionWatch>& watch, AccountId account);

    // Ends every session logged in as ACCOUNT (SessionEnd::AccountDisabled).
    void end_account(AccountId account);
    // Ends every session (SessionEnd::Shutdown); sessions added later end at once.
    void shutdown();
    // The accounts with a session open now.
    std::vector<AccountId> accounts() const;

private:
    struct Entry {
        std::shared_ptr<SessionWatch> watch;
        AccountId account = 0;  // 0: not logged in
    };

    mutable std::mutex mutex_;
    std::map<const SessionWatch*, Entry> sessions_;
    std::map<AccountId, std::set<const SessionWatch*>> by_account_;
    bool shut_down_ = false;
};

}  // namespace govmail
