#include "storage/login_throttle_store.hpp"

#include "storage/query.hpp"
#include "storage/sql/login_throttle.hpp"

namespace govmail::storage {
namespace {

std::string_view scope_name(ThrottleScope scope) {
    return scope == ThrottleScope::User ? "user" : "address";
}

}  // namespace

LoginThrottleStore::Task<AttemptCount> LoginThrottleStore::count_attempt(
    ThrottleScope scope, std::string_view subject, std::chrono::seconds window
) {
    co_return co_await run_one_row(
        pool_, sql::kCountLoginAttempt, Params(scope_name(scope), subject, window.count()),
        [](const PgResult& r, int row) {
            return AttemptCount{static_cast<std::uint32_t>(r.int64(row, 0)), r.boolean(row, 1)};
        }
    );
}

LoginThrottleStore::Task<bool> LoginThrottleStore::lock(
    ThrottleScope scope, std::string_view subject, std::chrono::seconds duration
) {
    auto r = co_await run_statement(
        pool_, sql::kLockLogins, Params(scope_name(scope), subject, duration.count())
    );
    if (!r) {
        co_return Result<bool>(boost::system::in_place_error, r.error());
    }
    co_return !r->empty();
}

LoginThrottleStore::Task<bool> LoginThrottleStore::locked(
    std::string_view user, std::string_view address
) {
    co_return co_await run_one_row(
        pool_, sql::kThrottleLocked, Params(user, address),
        [](const PgResult& r, int row) { return r.boolean(row, 0); }
    );
}

LoginThrottleStore::Task<void> LoginThrottleStore::record_success(
    std::string_view user, std::string_view address
) {
    if (auto r = co_await run_statement(pool_, sql::kClearUserAttempts, Params(user)); !r) {
        co_return r.error();
    }
    if (auto r = co_await run_statement(pool_, sql::kRefundAddressAttempt, Params(address)); !r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

}  // namespace govmail::storage
