#include "common/sha256.hpp"

#include <openssl/sha.h>

#include <array>

namespace govmail {

std::string sha256(std::string_view data) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
    return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace govmail
