#pragma once

// Download-link tokens of mailbox exports: 256 random bits shown once as 64 hex digits; the
// database keeps only their SHA-256, so a copy of it opens no archive.

#include <optional>
#include <string>
#include <string_view>

namespace govmail::selfservice {

// A new token. Throws std::runtime_error without entropy.
std::string generate_export_token();
// The 32-byte SHA-256 the token is stored and found by, or nullopt when TOKEN is not 64
// hex digits (so malformed input never reaches the database).
std::optional<std::string> export_token_hash(std::string_view token);

}  // namespace govmail::selfservice
