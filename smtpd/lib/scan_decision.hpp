#pragma once

// What smtpd does with a message after rspamd's verdict (pure, unit tested without a
// scanner): refuse it (reject → 550 5.7.1 with rspamd's text, 554 5.7.1 for a virus; soft
// reject and greylist → 451 4.7.1), store it in each local recipient's \Junk mailbox with
// the spam fields (add header, rewrite subject, whose Subject is rspamd's), or store it as it
// came (no action). Without a verdict (rspamd did not answer in time, or not at all) [filter]
// on_timeout decides: tempfail (451) or accept, marked unchecked. Every message stored gets
// govmail's Authentication-Results.

#include <optional>
#include <string>

#include "common/config.hpp"
#include "filter/headers.hpp"
#include "filter/rspamd_client.hpp"

namespace govmail::smtpd {

struct ScanDecision {
    // Refused: the reply to send instead of storing anything.
    int code = 0;  // 0: accepted
    std::string enhanced;
    std::string text;
    // Accepted: the fields to put above the message, and where it goes.
    std::string fields;
    bool junk = false;
    // rewrite subject: the Subject field rspamd wrote, in place of the message's.
    std::optional<std::string> subject_field;

    bool refused() const { return code != 0; }
};

// The reply text a refusal may carry at most: rspamd's message is cut to this.
inline constexpr std::size_t kMaxRefusalText = 200;

ScanDecision decide_scan(
    const FilterConfig& config,
    const filter::ScanResult& result,
    const filter::ResultContext& context
);

}  // namespace govmail::smtpd
