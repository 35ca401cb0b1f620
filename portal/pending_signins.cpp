#include "portal/pending_signins.hpp"

#include <iterator>

#include "portal/tokens.hpp"

namespace govmail::portal {

std::optional<std::string> PendingSignIns::start(storage::AccountId account) {
    const auto now = std::chrono::steady_clock::now();
    auto id = random_token();
    const std::lock_guard lock(mutex_);
    if (entries_.size() >= limits_.max_entries) {
        drop_expired(now);
    }
    if (entries_.size() >= limits_.max_entries) {
        return std::nullopt;
    }
    entries_[token_digest(id)] = PendingSignIn{account, 0, now + limits_.lifetime};
    return id;
}

std::optional<PendingSignIn> PendingSignIns::take(std::string_view id) {
    if (id.empty()) {
        return std::nullopt;
    }
    const std::lock_guard lock(mutex_);
    const auto found = entries_.find(token_digest(id));
    if (found == entries_.end()) {
        return std::nullopt;
    }
    const auto pending = found->second;
    entries_.erase(found);
    if (pending.expires <= std::chrono::steady_clock::now() ||
        pending.attempts >= limits_.max_attempts) {
        return std::nullopt;
    }
    return pending;
}

bool PendingSignIns::put_back(std::string_view id, PendingSignIn pending) {
    ++pending.attempts;
    if (pending.attempts >= limits_.max_attempts ||
        pending.expires <= std::chrono::steady_clock::now()) {
        return false;
    }
    const std::lock_guard lock(mutex_);
    entries_[token_digest(id)] = pending;
    return true;
}

void PendingSignIns::drop_expired(std::chrono::steady_clock::time_point now) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        it = it->second.expires <= now ? entries_.erase(it) : std::next(it);
    }
}

}  // namespace govmail::portal
