#include "auth/login_throttle.hpp"

#include <algorithm>

namespace govmail::auth {

std::chrono::milliseconds failure_delay(const AuthConfig& config, std::uint32_t failures) {
    if (failures == 0) {
        return std::chrono::milliseconds(0);
    }
    auto delay = config.failure_delay;
    for (std::uint32_t i = 1; i < failures && delay < config.max_failure_delay; ++i) {
        delay *= 2;
    }
    return std::min(delay, config.max_failure_delay);
}

LoginThrottle::LoginThrottle(storage::Pool& pool, const AuthConfig& config)
    : store_(pool),
      user_limits_{config.failure_window, config.account_lock_failures, config.lock_duration},
      address_limits_{config.failure_window, config.address_lock_failures, config.lock_duration} {
}

LoginThrottle::Task<bool> LoginThrottle::locked(
    const std::string& user, const std::string& address
) {
    co_return co_await store_.locked(user, address);
}

LoginThrottle::Task<FailureOutcome> LoginThrottle::record_failure(
    const std::string& user, const std::string& address
) {
    const auto by_user =
        co_await store_.record_failure(storage::ThrottleScope::User, user, user_limits_);
    if (!by_user) {
        co_return by_user.error();
    }
    const auto by_address =
        co_await store_.record_failure(storage::ThrottleScope::Address, address, address_limits_);
    if (!by_address) {
        co_return by_address.error();
    }
    co_return FailureOutcome{
        std::max(by_user->failures, by_address->failures),
        by_user->newly_locked || by_address->newly_locked};
}

LoginThrottle::Task<void> LoginThrottle::record_success(const std::string& user) {
    co_return co_await store_.clear_user(user);
}

}  // namespace govmail::auth
