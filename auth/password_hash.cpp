#include "auth/password_hash.hpp"

#include <argon2.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <array>
#include <stdexcept>

namespace govmail::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

void require_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) {
        throw std::runtime_error("password hashing: libsodium failed to initialise");
    }
}

// libsodium's Argon2id makes only one-lane hashes; libargon2 makes the others.
std::string hash_with_lanes(std::string_view password, const Argon2Params& params) {
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

}  // namespace

Argon2Params argon2_params(const AuthConfig& config) {
    return Argon2Params{
        config.argon2_time_cost, config.argon2_memory_kib, config.argon2_parallelism};
}

std::string hash_password(std::string_view password, const Argon2Params& params) {
    if (params.parallelism != 1) {
        return hash_with_lanes(password, params);
    }
    require_sodium();
    std::array<char, crypto_pwhash_argon2id_STRBYTES> encoded{};
    if (crypto_pwhash_argon2id_str(
            encoded.data(), password.data(), password.size(), params.time_cost,
            std::size_t{params.memory_kib} * 1024
        ) != 0) {
        throw std::runtime_error("password hashing: out of memory or parameters out of range");
    }
    return encoded.data();
}

bool verify_password(std::string_view phc, std::string_view password) {
    // libsodium reads a C string: a NUL must not hide what follows it.
    if (!phc.starts_with("$argon2id$") || phc.find('\0') != std::string_view::npos) {
        return false;
    }
    require_sodium();
    const std::string terminated(phc);
    return crypto_pwhash_argon2id_str_verify(
               terminated.c_str(), password.data(), password.size()
           ) == 0;
}

}  // namespace govmail::auth
