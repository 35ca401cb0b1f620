// The spam learning queue (storage/learn_queue_store.hpp).

#include "storage/learn_queue_store.hpp"

#include "storage/pg/query.hpp"
#include "storage/sql/learn_queue.hpp"

namespace govmail::storage {

LearnQueueStore::Task<std::optional<LearnJob>> LearnQueueStore::claim_next(
    std::chrono::seconds lease
) {
    auto r = co_await run_statement(pool_, sql::kClaimLearning, Params(lease.count()));
    if (!r) {
        co_return r.error();
    }
    if (r->empty()) {
        co_return std::nullopt;
    }
    co_return LearnJob{
        r->int64(0, 0), r->boolean(0, 1), static_cast<std::int32_t>(r->int64(0, 2)),
        std::string(r->text(0, 3)), std::chrono::seconds(r->int64(0, 4))};
}

LearnQueueStore::Task<void> LearnQueueStore::remove(std::int64_t id) {
    auto r = co_await run_statement(pool_, sql::kDeleteLearning, Params(id));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

LearnQueueStore::Task<void> LearnQueueStore::retry_after(
    std::int64_t id, std::chrono::seconds delay
) {
    auto r = co_await run_statement(pool_, sql::kRetryLearning, Params(id, delay.count()));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

}  // namespace govmail::storage
