#include "storage/login_throttle_store.hpp"

#include "storage/query.hpp"
#include "storage/sql/login_throttle.hpp"

namespace govmail::storage {

LoginThrottleStore::Task<bool> LoginThrottleStore::locked(
    std::string_view user, std::string_view address
) {
    co_return co_await run_one_row(
        pool_, sql::kThrottleLocked, Params(user, address),
        [](const PgResult& r, int row) { return r.boolean(row, 0); }
    );
}

LoginThrottleStore::Task<FailureCount> LoginThrottleStore::record_failure(
    ThrottleScope scope, std::string_view subject, const ThrottleLimits& limits
) {
    const Params params(
        scope == ThrottleScope::User ? "user" : "address", subject, limits.window.count(),
        limits.lock_after, limits.lock_duration.count()
    );
    co_return co_await run_one_row(
        pool_, sql::kRecordLoginFailure, params,
        [](const PgResult& r, int row) {
            return FailureCount{
                static_cast<std::uint32_t>(r.int64(row, 0)), r.boolean(row, 1),
                r.boolean(row, 2)};
        }
    );
}

LoginThrottleStore::Task<void> LoginThrottleStore::clear_user(std::string_view user) {
    auto r = co_await run_statement(pool_, sql::kClearUserFailures, Params(user));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

}  // namespace govmail::storage
