#pragma once

// The spam learning queue: jobs that teach rspamd spam or ham, queued by the copy or move of a
// message into or out of \Junk (Mailstore::copy/move with Learning::FromJunkMoves) in the same
// transaction, and drained by smtpd's learner (smtpd/lib/junk_learner.hpp). Claims are leases:
// a job whose learner died becomes due again when its lease ends.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "storage/pg/pool.hpp"

namespace govmail::storage {

struct LearnJob {
    std::int64_t id = 0;
    bool spam = false;            // spam, or ham
    std::int32_t attempts = 0;    // this one included
    std::string body_id;          // the message (hex body hash), for Mailstore::fetch_raw
    std::chrono::seconds age{0};  // since it was queued
};

class LearnQueueStore {
public:
    explicit LearnQueueStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // The job due first, leased for LEASE; nullopt when none is due.
    Task<std::optional<LearnJob>> claim_next(std::chrono::seconds lease);
    // The job is done (learnt, or given up).
    Task<void> remove(std::int64_t id);
    // The job is due again after DELAY.
    Task<void> retry_after(std::int64_t id, std::chrono::seconds delay);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
