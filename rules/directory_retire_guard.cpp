#include "rules/directory_retire_guard.hpp"

#include <algorithm>

namespace govmail::rules {

std::optional<RetireGuardBreach> check_retire_limits(
    std::size_t retiring, std::size_t in_directory, const RetireLimits& limits
) {
    auto allowed = std::max<std::size_t>(1, in_directory * limits.max_percent / 100);
    if (limits.max_count > 0) {
        allowed = std::min(allowed, limits.max_count);
    }
    if (retiring <= allowed) {
        return std::nullopt;
    }
    const double percent = in_directory == 0 ? 100.0
                                             : 100.0 * static_cast<double>(retiring) /
                                                   static_cast<double>(in_directory);
    return RetireGuardBreach{retiring, in_directory, percent, allowed};
}

}  // namespace govmail::rules
