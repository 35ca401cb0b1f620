#include "imapd/lib/change_hub.hpp"

namespace govmail::imap {

void ChangeHub::follow(
    const std::shared_ptr<SessionWatch>& watch, std::optional<MailboxKey> mailbox
) {
    std::lock_guard lock(mutex_);
    if (const auto it = following_.find(watch.get()); it != following_.end()) {
        auto& set = followers_[it->second.second];
        set.erase(watch.get());
        if (set.empty()) {
            followers_.erase(it->second.second);
        }
        following_.erase(it);
    }
    if (mailbox) {
        following_[watch.get()] = {watch, *mailbox};
        followers_[*mailbox].insert(watch.get());
    }
}

void ChangeHub::publish(const storage::MailboxChange& change) {
    std::lock_guard lock(mutex_);
    if (change.account == 0) {
        for (auto& [raw, entry] : following_) {
            entry.first->notify_change();
        }
        return;
    }
    const auto it = followers_.find({change.account, change.mailbox});
    if (it == followers_.end()) {
        return;
    }
    for (const auto* watch : it->second) {
        following_.at(watch).first->notify_change();
    }
}

}  // namespace govmail::imap
