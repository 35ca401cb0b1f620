#pragma once

// LIST and LSUB patterns (RFC 3501 section 6.3.8): "*" matches anything, "%" anything but the
// hierarchy delimiter "/". Pure functions. A name is matched in one pass over its bytes, without
// backtracking, so a long pattern against a long name costs microseconds, not minutes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imapd/proto/mailbox_name.hpp"

namespace govmail::imap {

// The pattern LIST applies: reference and mailbox joined, a leading "INBOX" in any case
// written "INBOX" (names come from the store with INBOX in that form).
std::string list_pattern(std::string_view reference, std::string_view mailbox);

// A pattern compiled once for matching many names. Runs of wildcards collapse ("%*", "*%" and
// "**" are "*", "%%" is "%"); the pattern positions the name read so far can stand at are kept
// as a bitset (a bit-parallel NFA). Matching reads each byte of the name once and does
// pattern-length / 64 word operations per byte.
class MailboxPattern {
public:
    explicit MailboxPattern(std::string_view pattern);

    bool matches(std::string_view name) const;

private:
    using Bits = std::vector<std::uint64_t>;

    // NEXT: the positions reached from STATES by reading BYTE.
    void step(const Bits& states, unsigned char byte, Bits& next) const;
    // Adds the positions after each wildcard in STATES (a wildcard may match nothing).
    void skip_wildcards(Bits& states) const;

    std::size_t words_ = 0;
    std::size_t accept_ = 0;  // the position after the last token
    Bits star_;               // positions holding "*"
    Bits percent_;            // positions holding "%"
    Bits literal_;            // per byte value, words_ words each: the positions holding that byte
};

// NAME against PATTERN, compiling it for this one call.
bool matches_pattern(std::string_view name, std::string_view pattern);

}  // namespace govmail::imap
