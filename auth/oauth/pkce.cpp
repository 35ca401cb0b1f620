#include "auth/oauth/pkce.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>

#include "auth/token_jwt.hpp"
#include "common/sha256.hpp"

namespace govmail::auth::oauth {

bool is_code_verifier(std::string_view verifier) {
    return verifier.size() >= 43 && verifier.size() <= 128 &&
           std::all_of(verifier.begin(), verifier.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
           });
}

bool is_s256_challenge(std::string_view challenge) {
    const auto decoded = base64url_decode(challenge);
    return challenge.size() == 43 && decoded && decoded->size() == SHA256_DIGEST_LENGTH;
}

std::string s256_challenge(std::string_view verifier) { return base64url_encode(sha256(verifier)); }

bool verifier_matches(std::string_view verifier, std::string_view challenge) {
    if (!is_code_verifier(verifier) || !is_s256_challenge(challenge)) {
        return false;
    }
    const auto computed = s256_challenge(verifier);
    return computed.size() == challenge.size() &&
           CRYPTO_memcmp(computed.data(), challenge.data(), computed.size()) == 0;
}

}  // namespace govmail::auth::oauth
