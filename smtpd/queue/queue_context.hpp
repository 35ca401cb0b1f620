#pragma once

// What the outbound queue's delivery code needs, shared by every worker of one runner.
// Time and DNS are injected so tests control them.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "common/config.hpp"
#include "smtpd/queue/mx_lookup.hpp"
#include "smtpd/queue/retry_policy.hpp"
#include "smtpd/queue/smtp_client.hpp"
#include "storage/mailstore.hpp"
#include "storage/queue_store.hpp"

namespace govmail::smtpd {

struct QueueContext {
    const Config& config;
    storage::Mailstore& store;
    storage::QueueStore& queue;
    ClientOptions client;
    RetrySchedule schedule;
    std::function<boost::asio::awaitable<MxAnswer>(std::string domain)> lookup_mx;
    std::function<std::int64_t()> now;  // unix seconds
};

}  // namespace govmail::smtpd
