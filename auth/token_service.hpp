#pragma once

// The suite's OAuth 2.0 access tokens (RFC 9068 JWT profile, signed ES256 with the keys of
// token_keys.hpp). The issuer signs with the newest key; the verifier accepts a token only
// when its header says ES256 (never "none", never an HMAC keyed with a public key), its key
// id names a key on disk, the signature holds, and iss, aud, exp and nbf (with the
// configured clock skew) are right. Whether the account may still log in is the caller's
// check. Tokens are secrets: neither class logs one.

#include <ctime>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/token_keys.hpp"
#include "common/config.hpp"

namespace govmail::auth {

class TokenIssuer {
public:
    explicit TokenIssuer(TokenConfig config) : config_(std::move(config)) {}

    // A token for SUBJECT (the account address) valid for TTL from NOW, signed with the
    // newest key; a first key is made when the directory has none. Throws
    // std::runtime_error when no key can be read or made.
    std::string issue(std::string_view subject, std::chrono::seconds ttl, std::time_t now);

private:
    TokenConfig config_;
};

struct TokenVerdict {
    std::optional<std::string> subject;  // set when the token is good
    std::string refusal;                 // otherwise: what the client is told
};

class TokenVerifier {
public:
    explicit TokenVerifier(TokenConfig config);

    TokenVerdict verify(std::string_view token, std::time_t now);

private:
    // The key KID, reading the directory again (at most every few seconds) when it is not
    // known yet: a key made by a rotation after start verifies at once.
    EVP_PKEY* find_key(const std::string& kid, std::time_t now);

    TokenConfig config_;
    std::mutex mutex_;
    std::vector<SigningKey> keys_;
    std::time_t keys_read_at_ = 0;
};

}  // namespace govmail::auth
