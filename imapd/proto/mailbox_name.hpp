#pragma once

// The one meaning of a mailbox name a client gives, after modified UTF-7 decoding (RFC 3501
// section 5.1): every command that names a mailbox (SELECT, EXAMINE, CREATE, DELETE, RENAME,
// SUBSCRIBE, UNSUBSCRIBE, STATUS, APPEND, COPY, MOVE, GETQUOTAROOT) reads it through
// canonical_mailbox_name(), so the name a check sees is the name the database stores. Names
// come from untrusted clients: no control character (NUL cut names short in SQL), no empty
// level, and a first level "INBOX" in any case is INBOX.

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <variant>

namespace govmail::imap {

inline constexpr char kDelimiter = '/';

// Bounds on a name a client creates (CREATE, RENAME); looking a name up needs none.
struct MailboxNameLimits {
    std::size_t max_bytes = std::numeric_limits<std::size_t>::max();   // UTF-8 bytes
    std::size_t max_levels = std::numeric_limits<std::size_t>::max();  // "a/b" has 2
};

enum class MailboxNameFault {
    Empty,       // ""
    EmptyLevel,  // "/a", "a/", "a//b"
    Control,     // a C0 or C1 control character or DEL
    Wildcard,    // "%" or "*", which LIST could not name alone
    BadUtf8,
    TooLong,
    TooDeep,
};

using CanonicalName = std::variant<std::string, MailboxNameFault>;

// UTF8 (a decoded name) in its canonical form, or why it is not a mailbox name.
CanonicalName canonical_mailbox_name(std::string_view utf8, const MailboxNameLimits& limits = {});

// What to tell the client about FAULT, in English.
std::string_view describe(MailboxNameFault fault);

}  // namespace govmail::imap
