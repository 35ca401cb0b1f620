#include "smtpd/queue/retry_policy.hpp"

#include <algorithm>

namespace govmail::smtpd {

std::chrono::seconds retry_delay(const RetrySchedule& schedule, int attempt) {
    auto delay = std::max(schedule.initial, std::chrono::seconds(1));
    for (int i = 1; i < attempt && delay < schedule.max; ++i) {
        delay *= 2;
    }
    return std::min(delay, std::max(schedule.max, schedule.initial));
}

RecipientDecision decide(
    const RetrySchedule& schedule,
    AttemptOutcome outcome,
    int attempt,
    std::int64_t queued_at,
    std::int64_t now
) {
    using storage::RecipientState;
    switch (outcome) {
        case AttemptOutcome::Accepted:
            return {RecipientState::Delivered};
        case AttemptOutcome::Permanent:
            return {RecipientState::Failed};
        case AttemptOutcome::Transient:
            break;
    }
    if (now - queued_at >= schedule.give_up.count()) {
        return {RecipientState::Failed, std::chrono::seconds(0), true};
    }
    return {RecipientState::Pending, retry_delay(schedule, attempt)};
}

}  // namespace govmail::smtpd
