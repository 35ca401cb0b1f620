#pragma once

// Brute-force protection. Every password attempt is counted per login name and per source
// address in PostgreSQL (shared by every daemon process) before the password is checked;
// an attempt beyond the limit, or while a lock lasts, is refused unchecked. The failure that
// reaches the limit locks the name or address for a while; each failure is answered after a
// delay that doubles with the failures in the window. A success takes its count back and,
// as the lock may have fallen meanwhile, is accepted only while nothing is locked.

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

struct Admission {
    bool admitted = false;  // false: locked, or over the limit; do not check the password
    std::uint32_t user_attempts = 0;
    std::uint32_t address_attempts = 0;
};

class LoginThrottle {
public:
    LoginThrottle(storage::Pool& pool, const AuthConfig& config);

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // USER is the lower-cased login name, ADDRESS the numeric source address.
    Task<Admission> admit(const std::string& user, const std::string& address);
    // After an admitted attempt failed: true when this failure locked the name or address.
    Task<bool> record_failure(
        const std::string& user, const std::string& address, const Admission& admission
    );
    // After an admitted attempt succeeded: false when a lock fell meanwhile (refuse it).
    Task<bool> record_success(const std::string& user, const std::string& address);

private:
    storage::LoginThrottleStore store_;
    AuthConfig config_;
};

}  // namespace govmail::auth
