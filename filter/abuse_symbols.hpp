#pragma once

// The rspamd symbols govmail's own rspamd configuration (launcher/rspamd_abuse_config.hpp)
// adds for outbound abuse control and virus scanning, which smtpd looks for in a verdict to
// audit the refusal: one name, shared by the configuration and its reader.

#include <string_view>

namespace govmail::filter {

// rspamd's ratelimit module found the sender over one of its [filter] ratelimit_* limits.
inline constexpr std::string_view kRatelimitedSymbol = "GOVMAIL_RATELIMITED";

// clamd found a virus in an attachment ([filter] antivirus); its name is the option.
inline constexpr std::string_view kVirusSymbol = "GOVMAIL_VIRUS";

}  // namespace govmail::filter
