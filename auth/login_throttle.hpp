#pragma once

// Brute-force protection, shared by every daemon process through PostgreSQL, per login name
// and per source address. Locks come from failures only:
// - A password check is opened before the password is compared and closed with its result.
//   A check opens only while failures + checks under way stay below the limit, so a burst of
//   parallel guesses never has more passwords compared than the limit allows; the failure
//   that reaches the limit locks the name or address for lock_duration, and while the lock
//   lasts nothing is compared (the right password is refused too).
// - An attempt that finds the budget taken by checks under way (not by failures) waits for
//   them to end instead of being refused: fifty correct logins from one busy address (a
//   NAT, a client opening many connections) all get in, a few at a time. Only a wait longer
//   than kMaxBusyWait gives up, as a temporary failure.
// - A correct password forgets the name's failures (not the address's: one good account
//   must not buy a sprayer new guesses) and is still refused when a lock fell meanwhile.
// Each failure is answered after a delay that doubles with the failures in the window.
// A check whose process died is forgotten after kCheckLease.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "common/config.hpp"
#include "common/result.hpp"
#include "storage/login_throttle_store.hpp"

namespace govmail::auth {

inline constexpr std::chrono::seconds kMaxBusyWait{20};
inline constexpr std::chrono::seconds kCheckLease{120};

// The delay before answering the FAILURES-th failure in a window: failure_delay doubled
// per earlier failure, at most max_failure_delay; zero for no failures.
std::chrono::milliseconds failure_delay(const AuthConfig& config, std::uint32_t failures);

enum class AdmissionVerdict {
    Admitted,  // compare the password, then report the result with the check id
    Locked,    // refuse unchecked
    Busy,      // too many checks under way for too long: a temporary failure
};

struct Admission {
    AdmissionVerdict verdict = AdmissionVerdict::Locked;
    std::int64_t check_id = 0;  // when admitted
};

struct Failure {
    bool locked_now = false;     // this failure locked the name or address
    std::uint32_t failures = 0;  // the larger of the name's and the address's
};

class LoginThrottle {
public:
    LoginThrottle(storage::Pool& pool, const AuthConfig& config);

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // USER is the lower-cased login name, ADDRESS the numeric source address. Waits while
    // checks under way hold the budget.
    Task<Admission> admit(const std::string& user, const std::string& address);
    // The admitted attempt's password was wrong.
    Task<Failure> record_failure(
        const std::string& user, const std::string& address, const Admission& admission
    );
    // The admitted attempt's password was right: false when a lock fell meanwhile (refuse).
    Task<bool> record_success(
        const std::string& user, const std::string& address, const Admission& admission
    );
    // The admitted attempt ended without a verdict on its password (storage failed).
    Task<void> release(const Admission& admission);

private:
    storage::LoginThrottleStore store_;
    AuthConfig config_;
};

}  // namespace govmail::auth
