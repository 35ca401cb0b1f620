#pragma once

// When the CRL refresher (`mailadm gpki crl refresh --watch`, a part `govmail start` runs)
// fetches each distribution point again, and how near its nextUpdate a CRL on file is. The
// clock is an argument, so the schedule is tested without waiting.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config.hpp"

namespace govmail::auth {

using SystemTime = std::chrono::system_clock::time_point;

enum class CrlFreshness {
    Current,   // more than the warning window before its nextUpdate (or it has none)
    Expiring,  // its nextUpdate is within the warning window
    Expired,   // its nextUpdate has passed: logins meet revocation_unknown
};

CrlFreshness crl_freshness(
    SystemTime now, std::optional<SystemTime> next_update, std::chrono::seconds warning
);

// One refresh time per point ([gpki] crl_refresh_interval_s, crl_refresh_percent,
// crl_retry_min_s, crl_retry_max_s). A point not planned yet is due at once.
class CrlRefreshPlan {
public:
    explicit CrlRefreshPlan(const GpkiConfig& config);

    // The points of POINTS due at NOW.
    std::vector<std::string> due(const std::vector<std::string>& points, SystemTime now) const;

    // POINT's CRL, valid until NEXT_UPDATE (none: no nextUpdate), was installed at NOW: next
    // after the shorter of the interval and the percentage of the validity left, never sooner
    // than the shortest retry pause.
    void installed(const std::string& point, SystemTime now, std::optional<SystemTime> next_update);

    // POINT could not be refreshed at NOW: tried again after the retry pause, which doubles
    // with each failure in a row up to its maximum.
    void failed(const std::string& point, SystemTime now);

    // The earliest refresh time of the planned points, at most the interval after NOW.
    SystemTime next_due(SystemTime now) const;

private:
    struct Entry {
        SystemTime due;
        std::chrono::seconds retry_pause{};
    };

    std::chrono::seconds interval_;
    std::uint32_t percent_;
    std::chrono::seconds retry_min_;
    std::chrono::seconds retry_max_;
    std::map<std::string, Entry> entries_;
};

}  // namespace govmail::auth
