#pragma once

// A cache of password verifications, as Dovecot's auth cache: a client that reconnects with
// the password it used a moment ago (phones and Outlook reconnect many times a day) skips the
// Argon2id check, which costs a third of a CPU-second. An entry says "this secret matched this
// stored hash" and is found by an HMAC-SHA-256 of both under a key made at start and never
// stored, so the cache holds neither secrets nor anything to test guesses against offline.
// Only successes are remembered. Because the stored hash is part of the key, a new password
// makes every entry of the old one useless at once; everything else that ends a login
// (suspension, retirement, deletion, a lock, a revoked app password, the SMS second factor) is
// checked in the database at every login as before, cached or not. Entries live `ttl`; at
// most `max_entries` are kept (when full, expired entries go, then all). Safe to share
// between threads.

#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace govmail::auth {

class CredentialCache {
public:
    using Clock = std::chrono::steady_clock;

    // A TTL of zero turns the cache off. NOW is the clock (tests inject their own).
    CredentialCache(
        std::chrono::seconds ttl,
        std::size_t max_entries,
        std::function<Clock::time_point()> now = &Clock::now
    );

    // Whether SECRET matched the stored hash PHC within the TTL.
    bool holds(std::string_view phc, std::string_view secret);
    // SECRET matched PHC just now.
    void remember(std::string_view phc, std::string_view secret);

private:
    std::string key_of(std::string_view phc, std::string_view secret) const;

    std::chrono::seconds ttl_;
    std::size_t max_entries_;
    std::function<Clock::time_point()> now_;
    std::array<unsigned char, 32> hmac_key_{};
    std::mutex mutex_;
    std::unordered_map<std::string, Clock::time_point> expiry_;  // guarded by mutex_
};

}  // namespace govmail::auth
