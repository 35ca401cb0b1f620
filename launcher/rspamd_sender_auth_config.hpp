#pragma once

// The embedded rspamd's sender authentication and greylisting, from [filter]: a DMARC
// failure under the sender domain's policy decides the action (p=reject -> reject, smtpd's
// 550 5.7.1; p=quarantine -> add header, the recipient's Junk), which rspamd's defaults only
// score; greylisted senders are accepted after greylist_delay_s; and with check_loopback
// (tests only) the SPF, DKIM, DMARC and greylist modules also judge clients on loopback,
// which they skip as local by default.

#include <string>
#include <utility>
#include <vector>

#include "common/config.hpp"

namespace govmail::launcher {

// (file name under local.d, its text) for each module configured.
std::vector<std::pair<std::string, std::string>> sender_auth_config(const FilterConfig& filter);

}  // namespace govmail::launcher
