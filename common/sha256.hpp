#pragma once

// SHA-256 for content addresses and stored digests of tokens and secrets.

#include <string>
#include <string_view>

namespace govmail {

// The 32-byte SHA-256 digest of DATA (raw bytes; common/hex.hpp spells it out).
std::string sha256(std::string_view data);

}  // namespace govmail
