#pragma once

// Address lists (RFC 5322 section 3.4, with the obsolete route syntax) in the form the IMAP
// ENVELOPE lists them (RFC 3501 section 7.4.2): one entry per mailbox, and groups as a start
// entry (mailbox = group name, host absent) and an end entry (all absent).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::mime {

struct EnvelopeAddress {
    std::optional<std::string> name;     // display name or trailing comment, encoded-words raw
    std::optional<std::string> route;    // obsolete source route "@a,@b"
    std::optional<std::string> mailbox;  // local part, or the group name in a group start
    std::optional<std::string> host;     // domain; absent only in group markers
};

inline constexpr std::size_t kMaxAddresses = 1000;

// Parses a raw address-list value. Never fails: garbage is skipped, a missing local part or
// domain is written as Dovecot does ("MISSING_MAILBOX", "MISSING_DOMAIN"), and at most
// kMaxAddresses entries are returned.
std::vector<EnvelopeAddress> parse_address_list(std::string_view value);

}  // namespace govmail::mime
