#include "selfservice/export_token.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "common/hex.hpp"
#include "common/sha256.hpp"

namespace govmail::selfservice {
namespace {

constexpr std::size_t kTokenBytes = 32;

}  // namespace

std::string generate_export_token() {
    std::array<unsigned char, kTokenBytes> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("no entropy for an export token");
    }
    return hex(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
}

std::optional<std::string> export_token_hash(std::string_view token) {
    if (token.size() != kTokenBytes * 2 ||
        token.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        return std::nullopt;
    }
    return sha256(token);
}

}  // namespace govmail::selfservice
