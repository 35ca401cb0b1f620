#pragma once

// Who may file a signup request without an account to sign in to: a person the identity
// provider vouched for (a OnePass sign-in that found no account), or the owner of a good GPKI
// certificate bound to no account, gets a pass, a random token in a cookie, naming their
// directory entry (and the certificate, bound to the account on approval) for a short time. Passes
// live in the portal's memory only (a restart sends the person through OnePass again); at most
// kMaxPasses, the oldest dropped first.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "storage/signup_store.hpp"

namespace govmail::portal {

inline constexpr std::string_view kSignupCookie = "__Host-govmail_signup";
inline constexpr std::chrono::seconds kSignupPassLifetime{1800};

struct SignupPass {
    std::string employee_no;
    std::optional<storage::SignupCertificate> certificate;  // of a certificate sign-in
};

class SignupPasses {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kMaxPasses = 10000;

    // A new pass: the token for the cookie.
    std::string issue(SignupPass pass, Clock::time_point now = Clock::now());
    // TOKEN's live pass, or nothing.
    std::optional<SignupPass> find(std::string_view token, Clock::time_point now = Clock::now())
        const;
    void remove(std::string_view token);

private:
    struct Pass {
        SignupPass pass;
        Clock::time_point issued;
    };

    void drop_expired(Clock::time_point now);

    mutable std::mutex mutex_;
    std::map<std::string, Pass> passes_;  // by the token's SHA-256
};

}  // namespace govmail::portal
