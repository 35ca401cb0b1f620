#include "selfservice/export_token.hpp"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <stdexcept>

namespace govmail::selfservice {
namespace {

constexpr std::size_t kTokenBytes = 32;

}  // namespace

std::string generate_export_token() {
    std::array<unsigned char, kTokenBytes> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("no entropy for an export token");
    }
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char b : random) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

std::optional<std::string> export_token_hash(std::string_view token) {
    if (token.size() != kTokenBytes * 2 ||
        token.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        return std::nullopt;
    }
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest.data());
    return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace govmail::selfservice
