#pragma once

// LIST and LSUB patterns (RFC 3501 section 6.3.8): "*" matches anything, "%" anything but the
// hierarchy delimiter "/". Pure functions.

#include <string>
#include <string_view>

namespace govmail::imap {

inline constexpr char kDelimiter = '/';

// The pattern LIST applies: reference and mailbox joined, a leading "INBOX" in any case
// written "INBOX" (names come from the store with INBOX in that form).
std::string list_pattern(std::string_view reference, std::string_view mailbox);

bool matches_pattern(std::string_view name, std::string_view pattern);

// The name CREATE and RENAME store: NAME without a trailing delimiter, or "" when NAME is
// empty, has an empty level or holds a wildcard.
std::string normalized_new_name(std::string_view name);

}  // namespace govmail::imap
