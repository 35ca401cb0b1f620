#include "portal/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "auth/gpki_certificate.hpp"
#include "common/hex.hpp"
#include "common/sha256.hpp"

namespace govmail::portal {

std::string random_token() {
    std::array<unsigned char, 32> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("no random bytes for a portal token");
    }
    return hex(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
}

std::string token_digest(std::string_view token) { return sha256(token); }

bool token_matches(std::string_view expected, std::string_view given) {
    return !expected.empty() && expected.size() == given.size() &&
           CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

}  // namespace govmail::portal
