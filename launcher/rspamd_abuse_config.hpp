#pragma once

// The embedded rspamd's outbound abuse control, from [filter]: its ratelimit module limits the
// recipients an authenticated sender submits per hour, per account (ratelimit_user_per_hour),
// per the account's domain (ratelimit_domain_per_hour), and per account of the restricted
// domains (ratelimit_restricted_*). Over a limit, rspamd answers "soft reject" (smtpd: 451
// 4.7.1) with filter::kRatelimitedSymbol, which smtpd audits. Unauthenticated (MX) mail has no
// user and is never counted. The buckets live in the redis-server of the embedded rspamd.
// With [filter] antivirus on, its antivirus module sends every attachment to clamd
// (filter.clamd()) and rejects the message when one is infected, with filter::kVirusSymbol
// (smtpd: 554 5.7.1, audited). When clamd does not answer, the message passes unscanned.

#include <string>

#include "common/config.hpp"

namespace govmail::launcher {

// The text of rspamd's local.d/ratelimit.conf.
std::string ratelimit_conf(const FilterConfig& filter);

// The text of rspamd's local.d/antivirus.conf: empty unless filter.antivirus.
std::string antivirus_conf(const FilterConfig& filter);

}  // namespace govmail::launcher
