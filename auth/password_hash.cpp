#include "auth/password_hash.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace govmail::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

}  // namespace

Argon2Params argon2_params(const AuthConfig& config) {
    return Argon2Params{
        config.argon2_time_cost, config.argon2_memory_kib, config.argon2_parallelism};
}

std::string hash_password(std::string_view password, const Argon2Params& params) {
    std::array<unsigned char, kSaltBytes> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
        throw std::runtime_error("password hashing: no random bytes for the salt");
    }
    std::string encoded(
        argon2_encodedlen(
            params.time_cost, params.memory_kib, params.parallelism, kSaltBytes, kHashBytes,
            Argon2_id
        ),
        '\0'
    );
    const int rc = argon2id_hash_encoded(
        params.time_cost, params.memory_kib, params.parallelism, password.data(), password.size(),
        salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size()
    );
    if (rc != ARGON2_OK) {
        throw std::runtime_error(std::string("password hashing: ") + argon2_error_message(rc));
    }
    encoded.resize(encoded.find('\0'));
    return encoded;
}

bool verify_password(std::string_view phc, std::string_view password) {
    if (!phc.starts_with("$argon2id$")) {
        return false;
    }
    const std::string terminated(phc);  // argon2 wants a C string
    return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace govmail::auth
