#pragma once

// Brute-force protection: failed logins are counted per login name and per source address
// in PostgreSQL (shared by every daemon process); each failure is answered after a delay
// that doubles with the failures in the window, and too many failures lock the name or the
// address for a while. While a lock lasts no password is even checked.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "common/config.hpp"
#include "common/result.hpp"
#include "storage/login_throttle_store.hpp"

namespace govmail::auth {

// The delay before answering the FAILURES-th failure in a window: failure_delay doubled
// per earlier failure, at most max_failure_delay; zero for no failures.
std::chrono::milliseconds failure_delay(const AuthConfig& config, std::uint32_t failures);

struct FailureOutcome {
    std::uint32_t failures = 0;  // the larger of the two counts
    bool newly_locked = false;   // this failure locked the name or the address
};

class LoginThrottle {
public:
    LoginThrottle(storage::Pool& pool, const AuthConfig& config);

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // USER is the lower-cased login name, ADDRESS the numeric source address.
    Task<bool> locked(const std::string& user, const std::string& address);
    Task<FailureOutcome> record_failure(const std::string& user, const std::string& address);
    Task<void> record_success(const std::string& user);

private:
    storage::LoginThrottleStore store_;
    storage::ThrottleLimits user_limits_;
    storage::ThrottleLimits address_limits_;
};

}  // namespace govmail::auth
