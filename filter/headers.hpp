#pragma once

// The header fields a scan adds to a received message and the ones it removes first (pure):
// Authentication-Results (RFC 8601) built from rspamd's SPF, DKIM and DMARC symbols, the spam
// fields (X-Spam-Status, X-Spam-Flag), and the removal of any such field that arrived with the
// message, so that no sender can claim results in govmail's name (RFC 8601 5).

#include <string>
#include <string_view>

#include "filter/verdict.hpp"

namespace govmail::filter {

// What the results are about besides the verdict.
struct ResultContext {
    std::string_view authserv_id;  // govmail's, e.g. the MX host name
    std::string_view mail_from;    // the envelope sender ("" for the null sender)
    std::string_view helo;
    std::string_view user;  // the authenticated account, empty when none
};

// "Authentication-Results: <id>; spf=pass smtp.mailfrom=...; dkim=...; dmarc=...\r\n", with
// auth=pass for an authenticated submission; "<id>; none" when rspamd gave no result (or
// VERDICT is null: the scanner did not answer).
std::string authentication_results(const ResultContext& context, const Verdict* verdict);

// MESSAGE without the header fields a sender must not set: Authentication-Results claiming
// AUTHSERV_ID (case-insensitive) and the spam fields govmail writes. The rest, byte for byte.
std::string remove_claimed_fields(std::string_view message, std::string_view authserv_id);

// MESSAGE with SUBJECT_FIELD ("Subject: ...\r\n") in place of its Subject field(s): where the
// first was, or first when it had none (rspamd's rewrite subject action).
std::string replace_subject(std::string_view message, std::string_view subject_field);

// "X-Spam-Flag: YES\r\n" (when SPAM) and "X-Spam-Status: Yes, score=6.00 required=15.00
// action=add header\r\n".
std::string spam_fields(const Verdict& verdict, bool spam);

// The field of a message delivered although the scanner did not answer ([filter] on_timeout
// = accept).
inline constexpr std::string_view kUncheckedField = "X-Spam-Status: unchecked\r\n";

}  // namespace govmail::filter
