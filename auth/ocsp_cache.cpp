#include "auth/ocsp_cache.hpp"

#include <iterator>

namespace govmail::auth {

std::optional<RevocationAnswer> OcspCache::find(const std::string& key, std::time_t now) {
    const std::lock_guard lock(mutex_);
    const auto found = entries_.find(key);
    if (found == entries_.end()) {
        return std::nullopt;
    }
    if (found->second.until <= now) {
        entries_.erase(found);
        return std::nullopt;
    }
    return found->second.answer;
}

void OcspCache::keep(
    const std::string& key, RevocationAnswer answer, std::time_t until, std::time_t now
) {
    if (capacity_ == 0 || until <= now) {
        return;
    }
    const std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_ && !entries_.contains(key)) {
        std::erase_if(entries_, [now](const auto& entry) { return entry.second.until <= now; });
        if (entries_.size() >= capacity_) {
            entries_.clear();
        }
    }
    entries_.insert_or_assign(key, Entry{std::move(answer), until});
}

}  // namespace govmail::auth
