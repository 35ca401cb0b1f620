#pragma once

// One claimed queue entry, attempted: the message is read from the store, its recipients
// grouped by destination (relay host, or domain for MX routing), each group sent over one
// SMTP session, every recipient's state recorded right after the remote reply, and the
// sender told of failures (and of successes asked for with NOTIFY=SUCCESS).

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "smtpd/queue/queue_context.hpp"

namespace govmail::smtpd {

// Attempts MESSAGE; every remote session ends by SESSION_DEADLINE (before the claim's lease
// runs out, so no other runner can take the recipients over mid-session).
boost::asio::awaitable<void> deliver_claimed(
    QueueContext& ctx,
    storage::ClaimedMessage message,
    ClientStream::Clock::time_point session_deadline
);

}  // namespace govmail::smtpd
