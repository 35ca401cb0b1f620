#include "auth/secrets.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "common/names.hpp"
#include "common/sha256.hpp"

namespace govmail::auth {
namespace {

constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
static_assert(kAlphabet.size() == 32);
constexpr std::size_t kSecretLetters = 20;
constexpr std::size_t kGroup = 4;

}  // namespace

std::string generate_secret() {
    std::array<unsigned char, kSecretLetters> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("no random bytes for a secret");
    }
    std::string out;
    for (std::size_t i = 0; i < random.size(); ++i) {
        if (i > 0 && i % kGroup == 0) {
            out += '-';
        }
        out += kAlphabet[random[i] % kAlphabet.size()];  // 256 is a multiple of 32: uniform
    }
    return out;
}

std::string generate_sms_code() {
    // The largest multiple of 10^6 not above 2^32: values from it on would favour low codes.
    constexpr std::uint32_t kCodes = 1'000'000;
    constexpr std::uint32_t kLimit = 4'294'000'000u;
    for (;;) {
        std::array<unsigned char, 4> random{};
        if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
            throw std::runtime_error("no random bytes for an SMS code");
        }
        const std::uint32_t value = (std::uint32_t{random[0]} << 24) |
                                    (std::uint32_t{random[1]} << 16) |
                                    (std::uint32_t{random[2]} << 8) | std::uint32_t{random[3]};
        if (value < kLimit) {
            const auto digits = std::to_string(value % kCodes);
            return std::string(6 - digits.size(), '0') + digits;
        }
    }
}

std::string app_password_digest(std::string_view secret) {
    std::string normalized;
    for (const char c : fold_case(secret)) {
        if (c != '-' && c != ' ') {
            normalized += c;
        }
    }
    return sha256(normalized);
}

}  // namespace govmail::auth
