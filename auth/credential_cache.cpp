#include "auth/credential_cache.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <string>

namespace govmail::auth {

CredentialCache::CredentialCache(
    std::chrono::seconds ttl, std::size_t max_entries, std::function<Clock::time_point()> now
)
    : ttl_(ttl), max_entries_(max_entries), now_(std::move(now)) {
    if (RAND_bytes(hmac_key_.data(), static_cast<int>(hmac_key_.size())) != 1) {
        throw std::runtime_error("credential cache: no randomness for its key");
    }
}

std::string CredentialCache::key_of(std::string_view phc, std::string_view secret) const {
    // The hash's length first, so no other (hash, secret) pair gives the same message.
    std::string message = std::to_string(phc.size()) + ":";
    message.append(phc).append(secret);
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int length = 0;
    HMAC(
        EVP_sha256(), hmac_key_.data(), static_cast<int>(hmac_key_.size()),
        reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &length
    );
    OPENSSL_cleanse(message.data(), message.size());
    return {reinterpret_cast<const char*>(mac.data()), length};
}

bool CredentialCache::holds(std::string_view phc, std::string_view secret) {
    if (ttl_.count() <= 0) {
        return false;
    }
    const auto key = key_of(phc, secret);
    const std::scoped_lock lock(mutex_);
    const auto found = expiry_.find(key);
    if (found == expiry_.end()) {
        return false;
    }
    if (found->second <= now_()) {
        expiry_.erase(found);
        return false;
    }
    return true;
}

void CredentialCache::remember(std::string_view phc, std::string_view secret) {
    if (ttl_.count() <= 0 || max_entries_ == 0) {
        return;
    }
    const auto key = key_of(phc, secret);
    const auto now = now_();
    const std::scoped_lock lock(mutex_);
    if (expiry_.size() >= max_entries_ && !expiry_.contains(key)) {
        std::erase_if(expiry_, [now](const auto& entry) { return entry.second <= now; });
        if (expiry_.size() >= max_entries_) {
            expiry_.clear();
        }
    }
    expiry_[key] = now + ttl_;
}

}  // namespace govmail::auth
