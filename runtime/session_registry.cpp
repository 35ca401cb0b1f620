#include "runtime/session_registry.hpp"

namespace govmail {

void SessionRegistry::add(const std::shared_ptr<SessionWatch>& watch) {
    std::lock_guard lock(mutex_);
    if (shut_down_) {
        watch->end(SessionEnd::Shutdown);
    }
    sessions_[watch.get()] = Entry{watch, 0};
}

void SessionRegistry::remove(const std::shared_ptr<SessionWatch>& watch) {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(watch.get());
    if (it == sessions_.end()) {
        return;
    }
    if (const auto account = it->second.account; account != 0) {
        auto& watches = by_account_[account];
        watches.erase(watch.get());
        if (watches.empty()) {
            by_account_.erase(account);
        }
    }
    sessions_.erase(it);
}

void SessionRegistry::logged_in(const std::shared_ptr<SessionWatch>& watch, AccountId account) {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(watch.get());
    if (it == sessions_.end() || it->second.account != 0) {
        return;
    }
    it->second.account = account;
    by_account_[account].insert(watch.get());
}

void SessionRegistry::end_account(AccountId account) {
    std::lock_guard lock(mutex_);
    const auto it = by_account_.find(account);
    if (it == by_account_.end()) {
        return;
    }
    for (const auto* watch : it->second) {
        sessions_.at(watch).watch->end(SessionEnd::AccountDisabled);
    }
}

void SessionRegistry::shutdown() {
    std::lock_guard lock(mutex_);
    shut_down_ = true;
    for (auto& [raw, entry] : sessions_) {
        entry.watch->end(SessionEnd::Shutdown);
    }
}

std::vector<SessionRegistry::AccountId> SessionRegistry::accounts() const {
    std::lock_guard lock(mutex_);
    std::vector<AccountId> ids;
    ids.reserve(by_account_.size());
    for (const auto& [account, watches] : by_account_) {
        ids.push_back(account);
    }
    return ids;
}

}  // namespace govmail
