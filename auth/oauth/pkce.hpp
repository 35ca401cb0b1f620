#pragma once

// Proof Key for Code Exchange (RFC 7636), S256 only: the client sends
// code_challenge = BASE64URL(SHA-256(code_verifier)) with the authorisation request and the
// verifier with the token request. "plain" is not accepted. Untrusted input; nothing throws.

#include <string>
#include <string_view>

namespace govmail::auth::oauth {

// 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 section 4.1).
bool is_code_verifier(std::string_view verifier);
// The base64url (unpadded) of 32 bytes: 43 characters (section 4.2 with S256).
bool is_s256_challenge(std::string_view challenge);
std::string s256_challenge(std::string_view verifier);
// Whether VERIFIER is well-formed and hashes to CHALLENGE (compared in constant time).
bool verifier_matches(std::string_view verifier, std::string_view challenge);

}  // namespace govmail::auth::oauth
