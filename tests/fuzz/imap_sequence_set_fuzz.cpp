// libFuzzer target for IMAP sequence sets (RFC 3501 sequence-set, RFC 5182 "$"): parsing,
// resolving "*" against a mailbox, and the compact form written in responses.
// Invariants: resolved ranges are ordered, merged, within 1..max and cover exactly the numbers
// the set names; the compact form of those numbers parses and resolves to the same ranges.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "imapd/proto/sequence_set.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::imap {
namespace {

using fuzz::check;

constexpr std::uint64_t kMaxExpanded = 4096;

void check_resolved(const SequenceSet& set, std::uint32_t largest) {
    const std::vector<SeqRange> resolved = resolve_sequence_set(set, largest);
    std::uint64_t count = 0;
    for (std::size_t i = 0; i < resolved.size(); ++i) {
        check(resolved[i].first >= 1 && resolved[i].first <= resolved[i].last, "ranges ordered");
        if (i > 0) {
            check(
                std::uint64_t{resolved[i - 1].last} + 1 < resolved[i].first,
                "ranges sorted and merged"
            );
        }
        count += std::uint64_t{resolved[i].last} - resolved[i].first + 1;
    }
    // Every number the set names is in a resolved range, and the other way round.
    for (const SeqRange& range : set.ranges) {
        const std::uint32_t first = range.first == kStar ? largest : range.first;
        const std::uint32_t last = range.last == kStar ? largest : range.last;
        for (const std::uint32_t number : {first, last}) {
            // The last resolved range starting at or before `number` must reach it.
            const auto after = std::upper_bound(
                resolved.begin(), resolved.end(), number,
                [](std::uint32_t n, const SeqRange& r) { return n < r.first; }
            );
            check(
                after != resolved.begin() && std::prev(after)->last >= number,
                "resolved ranges cover the set"
            );
        }
    }
    if (count > kMaxExpanded) {
        return;
    }
    std::vector<std::uint32_t> numbers;
    for (auto it = resolved.rbegin(); it != resolved.rend(); ++it) {
        for (std::uint64_t n = it->first; n <= it->last; ++n) {
            numbers.push_back(static_cast<std::uint32_t>(n));
        }
    }
    const std::string compact = format_sequence_set(numbers);
    if (numbers.empty()) {
        check(compact.empty(), "no numbers format as nothing");
        return;
    }
    const auto reparsed = parse_sequence_set(compact);
    check(reparsed.has_value(), "the compact form parses");
    check(resolve_sequence_set(*reparsed, largest) == resolved, "the compact form round-trips");
}

}  // namespace
}  // namespace govmail::imap

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::imap;
    const std::string_view input = govmail::fuzz::as_text(data, size);
    const auto set = parse_sequence_set(input);
    if (!set) {
        return 0;
    }
    govmail::fuzz::check(set->saved_result == (input == "$"), "only \"$\" is the saved result");
    if (set->saved_result) {
        return 0;
    }
    for (const std::uint32_t largest : {1U, 7U, 1000U, std::numeric_limits<std::uint32_t>::max()}) {
        check_resolved(*set, largest);
    }
    return 0;
}
