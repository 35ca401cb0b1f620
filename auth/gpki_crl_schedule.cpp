#include "auth/gpki_crl_schedule.hpp"

#include <algorithm>

namespace govmail::auth {

using std::chrono::seconds;

CrlFreshness crl_freshness(SystemTime now, std::optional<SystemTime> next_update, seconds warning) {
    if (!next_update) {
        return CrlFreshness::Current;
    }
    if (*next_update <= now) {
        return CrlFreshness::Expired;
    }
    return *next_update - now <= warning ? CrlFreshness::Expiring : CrlFreshness::Current;
}

CrlRefreshPlan::CrlRefreshPlan(const GpkiConfig& config)
    : interval_(config.crl_refresh_interval),
      percent_(config.crl_refresh_percent),
      retry_min_(config.crl_retry_min),
      retry_max_(config.crl_retry_max) {}

std::vector<std::string> CrlRefreshPlan::due(const std::vector<std::string>& points, SystemTime now)
    const {
    std::vector<std::string> out;
    for (const auto& point : points) {
        const auto entry = entries_.find(point);
        if (entry == entries_.end() || entry->second.due <= now) {
            out.push_back(point);
        }
    }
    return out;
}

void CrlRefreshPlan::installed(
    const std::string& point, SystemTime now, std::optional<SystemTime> next_update
) {
    seconds pause = interval_;
    if (next_update) {
        const auto left = std::chrono::duration_cast<seconds>(*next_update - now);
        pause = std::min(pause, left * percent_ / 100);
    }
    entries_[point] = Entry{now + std::max(pause, retry_min_), retry_min_};
}

void CrlRefreshPlan::failed(const std::string& point, SystemTime now) {
    auto& entry = entries_.try_emplace(point, Entry{now, retry_min_}).first->second;
    entry.due = now + entry.retry_pause;
    entry.retry_pause = std::min(entry.retry_pause * 2, retry_max_);
}

SystemTime CrlRefreshPlan::next_due(SystemTime now) const {
    SystemTime next = now + interval_;
    for (const auto& [point, entry] : entries_) {
        next = std::min(next, entry.due);
    }
    return next;
}

}  // namespace govmail::auth
