#pragma once

// The token service's signing keys on disk: one EC P-256 private key per file, named
// <kid>.pem (mode 0600) in the key directory. A key id is the UTC time the key was made plus
// a random suffix ("20250301T090000Z-3f9a1c2b"), so the newest key sorts last. Rotation adds
// a key: the newest signs, and every key still on disk verifies the tokens it signed until
// an operator removes its file.

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "auth/openssl_ptr.hpp"

namespace govmail::auth {

struct SigningKey {
    std::string kid;
    EvpPkeyPtr key;
};

// The P-256 keys in DIR, oldest first; other files are skipped with a warning. None when
// DIR does not exist.
std::vector<SigningKey> read_signing_keys(const std::filesystem::path& dir);

// Makes a new key in DIR (created 0700 when missing) and returns its id. Throws
// std::runtime_error when it cannot be made or written.
std::string create_signing_key(const std::filesystem::path& dir, std::time_t now);

}  // namespace govmail::auth
