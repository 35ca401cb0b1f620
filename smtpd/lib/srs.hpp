#pragma once

// The Sender Rewriting Scheme for forwarded mail (SRS0, as libsrs2 and postsrsd write it):
// mail an alias forwards to another domain leaves with the envelope sender
//   SRS0=HHHH=TT=original.domain=original-local@forwarding.domain
// so that the receiver's SPF check sees a domain of ours, and a bounce comes back to us. TT is
// the day (two base32 characters, 1024 days round), HHHH the first four base64 characters of
// HMAC-SHA1(secret, lower-case TT + domain + local part). reverse() accepts an address we
// wrote less than max_age_days ago and returns the original sender; anything else (a forged
// or mangled address, an old one) is nullopt. SRS1 (forwarding of forwarded mail) is not
// written or read. Pure: no I/O, the time passed in (tests/smtpd/srs_test.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace govmail::smtpd::srs {

struct Key {
    std::string_view secret;         // [smtp] srs_secret
    std::string_view domain;         // the forwarding domain (the first local domain)
    std::int64_t now = 0;            // unix seconds
    std::int64_t max_age_days = 21;  // reverse(): older addresses are refused
};

// SENDER (local-part@domain, not null) rewritten; nullopt when it has no '@'.
std::optional<std::string> forward(const Key& key, std::string_view sender);

// Whether LOCAL_PART has the SRS0 form (case-insensitive "SRS0" and a separator).
bool is_srs(std::string_view local_part);

// The original sender of the SRS0 address whose local part is LOCAL_PART; nullopt when it is
// malformed, its hash is wrong or it is older than max_age_days.
std::optional<std::string> reverse(const Key& key, std::string_view local_part);

}  // namespace govmail::smtpd::srs
