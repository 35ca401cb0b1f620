#pragma once

#include <string>
#include <string_view>

namespace govmail {

// Lower-case hex of BYTES (digests and fingerprints in SQL parameters, listings and audit).
std::string hex(std::string_view bytes);

}  // namespace govmail
