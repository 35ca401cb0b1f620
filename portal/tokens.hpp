#pragma once

// The random values the portal hands to browsers: session ids (256 random bits, stored only
// as their SHA-256) and CSRF tokens, and the constant-time check of a submitted token.

#include <string>
#include <string_view>

namespace govmail::portal {

// 32 random bytes as 64 lower-case hex characters. Throws std::runtime_error without entropy.
std::string random_token();

// SHA-256 of TOKEN (32 bytes): what the session store keeps.
std::string token_digest(std::string_view token);

// Whether GIVEN equals EXPECTED, in time independent of where they differ; an empty
// EXPECTED never matches.
bool token_matches(std::string_view expected, std::string_view given);

}  // namespace govmail::portal
