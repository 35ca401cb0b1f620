#pragma once

// Message sequence number and UID sets (RFC 3501 sequence-set, RFC 5182 "$"): parsing, resolving
// "*" against a mailbox, and the compact "1:3,7" form for responses.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::imap {

// Stands for "*", the largest number in use. 0 is never a valid sequence number or UID.
inline constexpr std::uint32_t kStar = 0;

struct SeqRange {
    std::uint32_t first = 0;  // as written: "*:4" is {kStar, 4}
    std::uint32_t last = 0;   // equal to first for a single number

    bool operator==(const SeqRange&) const = default;
};

struct SequenceSet {
    std::vector<SeqRange> ranges{};
    bool saved_result = false;  // "$": the result saved by SEARCH RETURN (SAVE); ranges is empty

    bool operator==(const SequenceSet&) const = default;
};

// "1:*", "*", "2,4:7,9", "$". Nullopt for 0, leading zeros, numbers over 4294967295, empty
// elements or anything else that is not RFC 3501 sequence-set syntax.
std::optional<SequenceSet> parse_sequence_set(std::string_view text);

// The ranges with "*" replaced by `largest`, each ordered low to high, sorted and merged. Numbers
// that do not exist are kept: the caller intersects with its mailbox. Not for saved_result sets.
std::vector<SeqRange> resolve_sequence_set(const SequenceSet& set, std::uint32_t largest);

// The shortest sequence-set text for the numbers, in any order: {7, 1, 2, 3} gives "1:3,7".
// Duplicates are ignored; an empty list gives "".
std::string format_sequence_set(std::vector<std::uint32_t> numbers);

}  // namespace govmail::imap
