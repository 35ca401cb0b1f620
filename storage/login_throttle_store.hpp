#pragma once

// Failed-login counters shared by every daemon process through PostgreSQL: one per login
// name and one per source address, each with a window and a temporary lock.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string_view>

#include "common/result.hpp"
#include "storage/pool.hpp"

namespace govmail::storage {

enum class ThrottleScope { User, Address };

struct ThrottleLimits {
    std::chrono::seconds window{900};
    std::uint32_t lock_after = 10;  // failures within the window
    std::chrono::seconds lock_duration{900};
};

struct FailureCount {
    std::uint32_t failures = 0;  // within the current window
    bool locked = false;
    bool newly_locked = false;  // this failure set the lock
};

class LoginThrottleStore {
public:
    explicit LoginThrottleStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Whether USER (lower-cased login name) or ADDRESS is locked now.
    Task<bool> locked(std::string_view user, std::string_view address);
    Task<FailureCount> record_failure(
        ThrottleScope scope, std::string_view subject, const ThrottleLimits& limits
    );
    Task<void> clear_user(std::string_view user);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
