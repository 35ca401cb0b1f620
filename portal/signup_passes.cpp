#include "portal/signup_passes.hpp"

#include <algorithm>

#include "portal/tokens.hpp"

namespace govmail::portal {

std::string SignupPasses::issue(SignupPass pass, Clock::time_point now) {
    auto token = random_token();
    const std::lock_guard lock(mutex_);
    drop_expired(now);
    if (passes_.size() >= kMaxPasses) {
        passes_.erase(std::min_element(passes_.begin(), passes_.end(), [](auto& a, auto& b) {
            return a.second.issued < b.second.issued;
        }));
    }
    passes_[token_digest(token)] = Pass{std::move(pass), now};
    return token;
}

std::optional<SignupPass> SignupPasses::find(std::string_view token, Clock::time_point now) const {
    if (token.empty()) {
        return std::nullopt;
    }
    const std::lock_guard lock(mutex_);
    const auto it = passes_.find(token_digest(token));
    if (it == passes_.end() || now - it->second.issued >= kSignupPassLifetime) {
        return std::nullopt;
    }
    return it->second.pass;
}

void SignupPasses::remove(std::string_view token) {
    const std::lock_guard lock(mutex_);
    passes_.erase(token_digest(token));
}

void SignupPasses::drop_expired(Clock::time_point now) {
    std::erase_if(passes_, [now](const auto& entry) {
        return now - entry.second.issued >= kSignupPassLifetime;
    });
}

}  // namespace govmail::portal
