#pragma once

// Brute-force counters shared by every daemon process through PostgreSQL: failed logins per
// login name and per source address, each with a window and a temporary lock, and the
// password checks under way (auth/login_throttle.hpp has the policy).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "storage/pg/pool.hpp"

namespace govmail::storage {

// One login name's or address's state when a check is about to start.
struct ThrottleCounts {
    std::uint32_t failures = 0;  // in the current window
    std::uint32_t checks = 0;    // password checks under way (not counting the new one)
    bool locked = false;
};

struct CheckOpening {
    ThrottleCounts user;
    ThrottleCounts address;
    std::optional<std::int64_t> check_id;  // set when the check was opened
};

struct FailureCount {
    std::uint32_t user_failures = 0;
    std::uint32_t address_failures = 0;
    bool locked_now = false;  // this failure set a lock
};

class LoginThrottleStore {
public:
    explicit LoginThrottleStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Decides by ADMIT on the state of USER (lower-cased login name) and ADDRESS, while no
    // other check of either can open, and opens a check when ADMIT says yes. Checks older
    // than LEASE are forgotten (their process died); failures older than WINDOW too.
    Task<CheckOpening> open_check(
        std::string_view user,
        std::string_view address,
        std::chrono::seconds window,
        std::chrono::seconds lease,
        std::function<bool(const ThrottleCounts& user, const ThrottleCounts& address)> admit
    );
    // The check's password was wrong: counts the failure, locking a name or address whose
    // failures reach its limit for LOCK.
    Task<FailureCount> fail_check(
        std::int64_t check_id,
        std::string_view user,
        std::string_view address,
        std::uint32_t user_limit,
        std::uint32_t address_limit,
        std::chrono::seconds lock
    );
    // The check's password was right: the name's failures are forgotten. Returns whether
    // the name or address is locked now.
    Task<bool> pass_check(std::int64_t check_id, std::string_view user, std::string_view address);
    // The check ended without a verdict.
    Task<void> close_check(std::int64_t check_id);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
