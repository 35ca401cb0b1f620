#pragma once

// Password hashing with Argon2id (RFC 9106) in the PHC string format
// ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"), so each stored hash carries its own
// parameters and old hashes keep verifying after the configured cost changes. Slow on
// purpose (tens of milliseconds or more): call it through PasswordHasher, off the io threads.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/config.hpp"

namespace govmail::auth {

struct Argon2Params {
    std::uint32_t time_cost = 3;
    std::uint32_t memory_kib = 64 * 1024;
    std::uint32_t parallelism = 1;
};

Argon2Params argon2_params(const AuthConfig& config);

// A fresh random 16-byte salt each call. Throws std::runtime_error when Argon2 fails (out
// of memory, parameters out of range): configuration or resource faults, never input.
std::string hash_password(std::string_view password, const Argon2Params& params);

// Constant-time comparison of the recomputed hash; false for a malformed PHC string.
bool verify_password(std::string_view phc, std::string_view password);

}  // namespace govmail::auth
