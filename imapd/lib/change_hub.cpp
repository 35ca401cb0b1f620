#include "imapd/lib/change_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace govmail::imap {
namespace asio = boost::asio;

Watch::Watch(asio::any_io_executor ex) : ex_(ex), timer_(ex) {}

void Watch::notify_change() {
    asio::post(ex_, [self = shared_from_this()] {
        self->changed_ = true;
        self->timer_.cancel();
    });
}

void Watch::notify_shutdown() {
    asio::post(ex_, [self = shared_from_this()] {
        self->shutdown_ = true;
        self->timer_.cancel();
    });
}

bool Watch::take_changed() { return std::exchange(changed_, false); }

asio::awaitable<void> Watch::wait(bool with_changes) {
    while (!shutdown_ && !(with_changes && changed_)) {
        timer_.expires_at(asio::steady_timer::time_point::max());
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

void ChangeHub::add(const std::shared_ptr<Watch>& watch) {
    std::lock_guard lock(mutex_);
    watches_[watch.get()] = {watch, std::nullopt};
    if (shut_down_) {
        watch->notify_shutdown();
    }
}

void ChangeHub::remove(const std::shared_ptr<Watch>& watch) {
    follow(watch, std::nullopt);
    std::lock_guard lock(mutex_);
    watches_.erase(watch.get());
}

void ChangeHub::follow(const std::shared_ptr<Watch>& watch, std::optional<MailboxKey> mailbox) {
    std::lock_guard lock(mutex_);
    const auto it = watches_.find(watch.get());
    if (it == watches_.end()) {
        return;
    }
    if (const auto& old = it->second.second) {
        auto& set = followers_[*old];
        set.erase(watch.get());
        if (set.empty()) {
            followers_.erase(*old);
        }
    }
    it->second.second = mailbox;
    if (mailbox) {
        followers_[*mailbox].insert(watch.get());
    }
}

void ChangeHub::publish(const storage::MailboxChange& change) {
    std::lock_guard lock(mutex_);
    if (change.account == 0) {
        for (auto& [key, watchers] : followers_) {
            for (auto* w : watchers) {
                w->notify_change();
            }
        }
        return;
    }
    const auto it = followers_.find({change.account, change.mailbox});
    if (it == followers_.end()) {
        return;
    }
    for (auto* w : it->second) {
        w->notify_change();
    }
}

void ChangeHub::shutdown() {
    std::lock_guard lock(mutex_);
    shut_down_ = true;
    for (auto& [raw, entry] : watches_) {
        entry.first->notify_shutdown();
    }
}

}  // namespace govmail::imap
