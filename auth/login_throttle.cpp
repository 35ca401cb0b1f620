#include "auth/login_throttle.hpp"

#include <algorithm>

namespace govmail::auth {

using storage::ThrottleScope;

std::chrono::milliseconds failure_delay(const AuthConfig& config, std::uint32_t failures) {
    if (failures == 0 || config.failure_delay.count() <= 0) {
        return std::chrono::milliseconds(0);
    }
    auto delay = config.failure_delay;
    for (std::uint32_t i = 1; i < failures && delay < config.max_failure_delay; ++i) {
        delay *= 2;
    }
    return std::min(delay, config.max_failure_delay);
}

LoginThrottle::LoginThrottle(storage::Pool& pool, const AuthConfig& config)
    : store_(pool), config_(config) {}

LoginThrottle::Task<Admission> LoginThrottle::admit(
    const std::string& user, const std::string& address
) {
    const auto by_user =
        co_await store_.count_attempt(ThrottleScope::User, user, config_.failure_window);
    if (!by_user) {
        co_return by_user.error();
    }
    const auto by_address =
        co_await store_.count_attempt(ThrottleScope::Address, address, config_.failure_window);
    if (!by_address) {
        co_return by_address.error();
    }
    const bool admitted = !by_user->locked && !by_address->locked &&
                          by_user->attempts <= config_.account_lock_failures &&
                          by_address->attempts <= config_.address_lock_failures;
    co_return Admission{admitted, by_user->attempts, by_address->attempts};
}

LoginThrottle::Task<bool> LoginThrottle::record_failure(
    const std::string& user, const std::string& address, const Admission& admission
) {
    bool locked = false;
    if (admission.user_attempts >= config_.account_lock_failures) {
        const auto by_user = co_await store_.lock(ThrottleScope::User, user, config_.lock_duration);
        if (!by_user) {
            co_return Result<bool>(boost::system::in_place_error, by_user.error());
        }
        locked = *by_user;
    }
    if (admission.address_attempts >= config_.address_lock_failures) {
        const auto by_address =
            co_await store_.lock(ThrottleScope::Address, address, config_.lock_duration);
        if (!by_address) {
            co_return Result<bool>(boost::system::in_place_error, by_address.error());
        }
        locked = locked || *by_address;
    }
    co_return locked;
}

LoginThrottle::Task<bool> LoginThrottle::record_success(
    const std::string& user, const std::string& address
) {
    const auto locked = co_await store_.locked(user, address);
    if (!locked) {
        co_return Result<bool>(boost::system::in_place_error, locked.error());
    }
    if (*locked) {
        co_return false;
    }
    if (auto recorded = co_await store_.record_success(user, address); !recorded) {
        co_return Result<bool>(boost::system::in_place_error, recorded.error());
    }
    co_return true;
}

}  // namespace govmail::auth
