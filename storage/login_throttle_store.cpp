#include "storage/login_throttle_store.hpp"

#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/login_throttle.hpp"

namespace govmail::storage {

LoginThrottleStore::Task<CheckOpening> LoginThrottleStore::open_check(
    std::string_view user,
    std::string_view address,
    std::chrono::seconds window,
    std::chrono::seconds lease,
    std::function<bool(const ThrottleCounts&, const ThrottleCounts&)> admit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<CheckOpening> {
        // The rows stay locked to the commit: the count below then sees every check that
        // opened before, and none can open until this one is decided.
        auto rows =
            co_await conn.execute(sql::kOpenThrottleRows, Params(user, address, window.count()));
        if (!rows) {
            co_return rows.error();
        }
        CheckOpening opening;
        for (int row = 0; row < rows->rows(); ++row) {
            auto& counts = rows->text(row, 0) == "user" ? opening.user : opening.address;
            counts.failures = static_cast<std::uint32_t>(rows->int64(row, 1));
            counts.locked = rows->boolean(row, 2);
        }
        auto checks =
            co_await conn.execute(sql::kCountLoginChecks, Params(user, address, lease.count()));
        if (!checks) {
            co_return checks.error();
        }
        opening.user.checks = static_cast<std::uint32_t>(checks->int64(0, 0));
        opening.address.checks = static_cast<std::uint32_t>(checks->int64(0, 1));
        if (admit(opening.user, opening.address)) {
            auto opened = co_await conn.execute(sql::kInsertLoginCheck, Params(user, address));
            if (!opened) {
                co_return opened.error();
            }
            opening.check_id = opened->int64(0, 0);
        }
        co_return opening;
    });
}

LoginThrottleStore::Task<FailureCount> LoginThrottleStore::fail_check(
    std::int64_t check_id,
    std::string_view user,
    std::string_view address,
    std::uint32_t user_limit,
    std::uint32_t address_limit,
    std::chrono::seconds lock
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<FailureCount> {
        FailureCount count;
        // The name's row before the address's, as kOpenThrottleRows locks them.
        for (const bool by_user : {true, false}) {
            auto r = co_await conn.execute(
                sql::kFailThrottleScope, Params(
                                             by_user ? "user" : "address", by_user ? user : address,
                                             by_user ? user_limit : address_limit, lock.count()
                                         )
            );
            if (!r) {
                co_return r.error();
            }
            if (!r->empty()) {
                const auto failures = static_cast<std::uint32_t>(r->int64(0, 0));
                (by_user ? count.user_failures : count.address_failures) = failures;
                count.locked_now = count.locked_now || r->boolean(0, 1);
            }
        }
        if (auto closed = co_await conn.execute(sql::kCloseLoginCheck, Params(check_id)); !closed) {
            co_return closed.error();
        }
        co_return count;
    });
}

LoginThrottleStore::Task<bool> LoginThrottleStore::pass_check(
    std::int64_t check_id, std::string_view user, std::string_view address
) {
    co_return co_await run_one_row(
        pool_, sql::kPassLoginCheck, Params(check_id, user, address),
        [](const PgResult& r, int row) { return r.boolean(row, 0); }
    );
}

LoginThrottleStore::Task<void> LoginThrottleStore::close_check(std::int64_t check_id) {
    if (auto r = co_await run_statement(pool_, sql::kCloseLoginCheck, Params(check_id)); !r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

}  // namespace govmail::storage
