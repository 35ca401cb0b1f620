#include "auth/login_throttle.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

namespace govmail::auth {
namespace asio = boost::asio;

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
    thread_local std::minstd_rand jitter{std::random_device{}()};
    const auto user_limit = config_.account_lock_failures;
    const auto address_limit = config_.address_lock_failures;
    bool locked = false;
    // A std::function already: g++ 12 destroys temporaries of a co_await expression twice.
    const std::function<bool(const storage::ThrottleCounts&, const storage::ThrottleCounts&)>
        admit_now =
            [&](const storage::ThrottleCounts& by_user, const storage::ThrottleCounts& by_address) {
                locked = by_user.locked || by_address.locked || by_user.failures >= user_limit ||
                         by_address.failures >= address_limit;
                return !locked && by_user.failures + by_user.checks < user_limit &&
                       by_address.failures + by_address.checks < address_limit;
            };
    const auto deadline = std::chrono::steady_clock::now() + kMaxBusyWait;
    auto pause = std::chrono::milliseconds(10);
    for (;;) {
        const auto opening = co_await store_.open_check(
            user, address, config_.failure_window, kCheckLease, admit_now
        );
        if (!opening) {
            co_return opening.error();
        }
        if (opening->check_id) {
            co_return Admission{AdmissionVerdict::Admitted, *opening->check_id};
        }
        if (locked) {
            co_return Admission{AdmissionVerdict::Locked, 0};
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            co_return Admission{AdmissionVerdict::Busy, 0};
        }
        // Checks under way hold the budget: wait for them to end.
        asio::steady_timer timer(
            co_await asio::this_coro::executor,
            pause + std::chrono::milliseconds(jitter() % static_cast<unsigned>(pause.count()))
        );
        co_await timer.async_wait(asio::use_awaitable);
        pause = std::min(pause * 2, std::chrono::milliseconds(200));
    }
}

LoginThrottle::Task<Failure> LoginThrottle::record_failure(
    const std::string& user, const std::string& address, const Admission& admission
) {
    const auto counted = co_await store_.fail_check(
        admission.check_id, user, address, config_.account_lock_failures,
        config_.address_lock_failures, config_.lock_duration
    );
    if (!counted) {
        co_return counted.error();
    }
    co_return Failure{
        counted->locked_now, std::max(counted->user_failures, counted->address_failures)};
}

LoginThrottle::Task<bool> LoginThrottle::record_success(
    const std::string& user, const std::string& address, const Admission& admission
) {
    const auto locked = co_await store_.pass_check(admission.check_id, user, address);
    if (!locked) {
        co_return Result<bool>(boost::system::in_place_error, locked.error());
    }
    co_return !*locked;
}

LoginThrottle::Task<void> LoginThrottle::release(const Admission& admission) {
    co_return co_await store_.close_check(admission.check_id);
}

}  // namespace govmail::auth
