#pragma once

// What becomes of a recipient after an attempt: delivered on 2xx; failed on 5xx; on 4xx or a
// connection failure, retried with exponential back-off (initial, 2x, 4x ... capped) until
// the message has been queued longer than give_up, then failed.

#include <chrono>
#include <cstdint>

#include "storage/queue_store.hpp"

namespace govmail::smtpd {

struct RetrySchedule {
    std::chrono::seconds initial{60};
    std::chrono::seconds max{3600};
    std::chrono::seconds give_up{5 * 86400};
};

enum class AttemptOutcome { Accepted, Transient, Permanent };

struct RecipientDecision {
    storage::RecipientState state = storage::RecipientState::Pending;
    std::chrono::seconds retry_after{0};  // Pending only
    bool expired = false;                 // Failed because give_up passed, not by a 5xx
};

// The wait after attempt number ATTEMPT (1 for the first) failed temporarily.
std::chrono::seconds retry_delay(const RetrySchedule& schedule, int attempt);

RecipientDecision decide(
    const RetrySchedule& schedule,
    AttemptOutcome outcome,
    int attempt,
    std::int64_t queued_at,
    std::int64_t now
);

}  // namespace govmail::smtpd
