#pragma once

// The guard against a truncated directory export: a sync that would retire more people than
// `[directory] max_retire_percent` of those in the directory, or more than
// `max_retire_count`, is refused unless forced. One person may always leave, whatever the
// size of the directory: a single departure is ordinary business, never the sign of a
// broken export.

#include <cstddef>
#include <optional>

namespace govmail::rules {

struct RetireLimits {
    std::size_t max_percent = 5;  // of the people in the directory (not retired) before the sync
    std::size_t max_count = 0;    // 0: no limit by count
};

// What a refused sync would have done, with the limit it went beyond.
struct RetireGuardBreach {
    std::size_t retiring = 0;
    std::size_t in_directory = 0;
    double percent = 0;       // retiring, as a percentage of in_directory
    std::size_t allowed = 0;  // the most the limits let one sync retire
};

// Nothing when retiring RETIRING of IN_DIRECTORY people stays within LIMITS.
std::optional<RetireGuardBreach> check_retire_limits(
    std::size_t retiring, std::size_t in_directory, const RetireLimits& limits
);

}  // namespace govmail::rules
