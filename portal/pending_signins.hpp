#pragma once

// Password sign-ins waiting for their SMS code, kept in the portal's memory so that the code
// page carries no password: the password step leaves a random 256-bit id in the code form,
// kept here only as its SHA-256, bound to the account whose password was right. An id is
// good for [portal] pending_signin_s, for pending_signin_attempts codes, and once: the code
// step takes it out and puts it back only when another code may be typed. At most
// max_pending_signins wait at a time (expired ones are dropped first). A restart of the
// portal forgets them all: the user types the password again.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/types.hpp"

namespace govmail::portal {

struct PendingSignIn {
    storage::AccountId account = 0;
    std::uint32_t attempts = 0;  // codes typed so far
    std::chrono::steady_clock::time_point expires;
};

struct PendingSignInLimits {
    std::chrono::seconds lifetime{300};
    std::uint32_t max_attempts = 5;
    std::size_t max_entries = 10'000;
};

class PendingSignIns {
public:
    explicit PendingSignIns(PendingSignInLimits limits) : limits_(limits) {}

    // A new pending sign-in of ACCOUNT: the id the browser carries, or nothing when
    // max_entries are waiting.
    std::optional<std::string> start(storage::AccountId account);

    // Takes the sign-in ID names out: nothing when unknown, used, expired or out of attempts.
    std::optional<PendingSignIn> take(std::string_view id);

    // Puts a taken sign-in back under ID after one more code was typed, unless that was its
    // last attempt or it expired meanwhile. Whether it was put back.
    bool put_back(std::string_view id, PendingSignIn pending);

private:
    void drop_expired(std::chrono::steady_clock::time_point now);

    PendingSignInLimits limits_;
    std::mutex mutex_;
    std::unordered_map<std::string, PendingSignIn> entries_;  // by SHA-256 of the id
};

}  // namespace govmail::portal
