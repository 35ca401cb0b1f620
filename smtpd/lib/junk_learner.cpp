// The spam learner (smtpd/lib/junk_learner.hpp).

#include "smtpd/lib/junk_learner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/logging.hpp"
#include "filter/learn_client.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::smtpd {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

// How often an idle learner looks for new jobs.
constexpr std::chrono::seconds kPollInterval{2};
constexpr std::chrono::seconds kFirstRetry{30};
constexpr std::chrono::seconds kLongestRetry{3600};

awaitable<void> pause(std::chrono::seconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// 30 s after the first failure, doubling, at most an hour.
std::chrono::seconds retry_delay(std::int32_t attempts) {
    const auto doublings = std::clamp(attempts - 1, 0, 7);
    return std::min(kFirstRetry * (1 << doublings), kLongestRetry);
}

awaitable<void> forget(storage::LearnQueueStore& queue, const storage::LearnJob& job) {
    if (const auto removed = co_await queue.remove(job.id); !removed) {
        spdlog::warn("learner: job {} not removed: {}", job.id, removed.error().message());
    }
}

// Teaches rspamd JOB's message, then removes the job or schedules its next attempt.
awaitable<void> teach(
    const FilterConfig& config,
    storage::LearnQueueStore& queue,
    storage::Mailstore& store,
    const storage::LearnJob& job
) {
    const auto kind = job.spam ? "spam" : "ham";
    auto message = co_await store.fetch_raw(job.body_id);
    if (!message) {
        if (message.error() != make_error_code(storage::Errc::NotFound)) {
            spdlog::warn("learner: job {}: {}", job.id, message.error().message());
            co_return;  // due again when its lease ends
        }
        spdlog::info("learner: job {}: the message is gone", job.id);
        co_return co_await forget(queue, job);
    }
    const auto result =
        co_await filter::learn(co_await asio::this_coro::executor, config, job.spam, *message);
    switch (result.outcome) {
        case filter::LearnOutcome::Learnt:
            spdlog::info("learner: job {}: learnt as {}", job.id, kind);
            co_return co_await forget(queue, job);
        case filter::LearnOutcome::Refused:
            spdlog::warn(
                "learner: job {}: rspamd refused it as {}: {}", job.id, kind,
                printable(result.detail)
            );
            co_return co_await forget(queue, job);
        case filter::LearnOutcome::Failed:
            break;
    }
    if (job.age >= config.learn_give_up) {
        spdlog::warn(
            "learner: job {}: given up after {} attempts: {}", job.id, job.attempts,
            printable(result.detail)
        );
        co_return co_await forget(queue, job);
    }
    const auto delay = retry_delay(job.attempts);
    spdlog::info(
        "learner: job {}: {}; next attempt in {} s", job.id, printable(result.detail), delay.count()
    );
    if (const auto later = co_await queue.retry_after(job.id, delay); !later) {
        spdlog::warn("learner: job {}: {}", job.id, later.error().message());
    }
}

}  // namespace

awaitable<void> run_junk_learner(
    const FilterConfig& config, storage::Pool& pool, storage::Mailstore& store
) {
    if (!config.enabled) {
        co_return;
    }
    storage::LearnQueueStore queue(pool);
    // A post ends within the scan timeout; the lease outlasts it.
    const auto lease = std::chrono::duration_cast<std::chrono::seconds>(config.timeout) * 2 +
                       std::chrono::seconds(10);
    for (;;) {
        const auto job = co_await queue.claim_next(lease);
        if (!job) {
            spdlog::warn("learner: cannot claim a job: {}", job.error().message());
        } else if (*job) {
            co_await teach(config, queue, store, **job);
            continue;
        }
        co_await pause(kPollInterval);
    }
}

}  // namespace govmail::smtpd
