#pragma once

// Login attempt counters shared by every daemon process through PostgreSQL: one per login
// name and one per source address, each with a window and a temporary lock.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string_view>

#include "common/result.hpp"
#include "storage/pool.hpp"

namespace govmail::storage {

enum class ThrottleScope { User, Address };

struct AttemptCount {
    std::uint32_t attempts = 0;  // within the current window, this one included
    bool locked = false;
};

class LoginThrottleStore {
public:
    explicit LoginThrottleStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    Task<AttemptCount> count_attempt(
        ThrottleScope scope, std::string_view subject, std::chrono::seconds window
    );
    // Locks SUBJECT for DURATION unless it is locked; true when this call locked it.
    Task<bool> lock(ThrottleScope scope, std::string_view subject, std::chrono::seconds duration);
    // Whether USER (lower-cased login name) or ADDRESS is locked now.
    Task<bool> locked(std::string_view user, std::string_view address);
    // After a successful login: USER's count is forgotten, ADDRESS's attempt taken back.
    Task<void> record_success(std::string_view user, std::string_view address);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
