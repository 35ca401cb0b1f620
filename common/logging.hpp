#pragma once

// Logging setup (spdlog) and the escaping every piece of client input goes through before it
// reaches a log line: truncated and made printable, as Postfix's printable() does.

#include <cstddef>
#include <string>
#include <string_view>

namespace govmail {

// Sets the default logger's level ("trace" ... "off") and a pattern with time and level.
void init_logging(std::string_view level);

// At most MAX bytes of S, with control and non-ASCII bytes shown as \xNN; "..." marks a cut.
std::string printable(std::string_view s, std::size_t max = 100);

}  // namespace govmail
