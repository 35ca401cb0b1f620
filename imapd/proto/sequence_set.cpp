#include "imapd/proto/sequence_set.hpp"

#include <algorithm>
#include <limits>

namespace govmail::imap {
namespace {

// nz-number or "*".
std::optional<std::uint32_t> parse_seq_number(std::string_view text) {
    if (text == "*") {
        return kStar;
    }
    if (text.empty() || text.front() < '1' || text.front() > '9') {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
        if (value > std::numeric_limits<std::uint32_t>::max()) {
            return std::nullopt;
        }
    }
    return static_cast<std::uint32_t>(value);
}

std::optional<SeqRange> parse_seq_range(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        const auto number = parse_seq_number(text);
        if (!number) {
            return std::nullopt;
        }
        return SeqRange{*number, *number};
    }
    const auto first = parse_seq_number(text.substr(0, colon));
    const auto last = parse_seq_number(text.substr(colon + 1));
    if (!first || !last) {
        return std::nullopt;
    }
    return SeqRange{*first, *last};
}

}  // namespace

std::optional<SequenceSet> parse_sequence_set(std::string_view text) {
    if (text == "$") {
        return SequenceSet{{}, true};
    }
    SequenceSet set;
    while (true) {
        const auto comma = text.find(',');
        const auto range = parse_seq_range(text.substr(0, comma));
        if (!range) {
            return std::nullopt;
        }
        set.ranges.push_back(*range);
        if (comma == std::string_view::npos) {
            return set;
        }
        text.remove_prefix(comma + 1);
    }
}

std::vector<SeqRange> resolve_sequence_set(const SequenceSet& set, std::uint32_t largest) {
    std::vector<SeqRange> resolved;
    resolved.reserve(set.ranges.size());
    for (const SeqRange& range : set.ranges) {
        const std::uint32_t first = range.first == kStar ? largest : range.first;
        const std::uint32_t last = range.last == kStar ? largest : range.last;
        resolved.push_back({std::min(first, last), std::max(first, last)});
    }
    std::sort(resolved.begin(), resolved.end(), [](const SeqRange& a, const SeqRange& b) {
        return a.first < b.first;
    });
    std::vector<SeqRange> merged;
    for (const SeqRange& range : resolved) {
        if (!merged.empty() && range.first <= static_cast<std::uint64_t>(merged.back().last) + 1) {
            merged.back().last = std::max(merged.back().last, range.last);
        } else {
            merged.push_back(range);
        }
    }
    return merged;
}

std::string format_sequence_set(std::vector<std::uint32_t> numbers) {
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    std::string out;
    std::size_t i = 0;
    while (i < numbers.size()) {
        std::size_t end = i;
        while (end + 1 < numbers.size() && numbers[end + 1] == numbers[end] + 1) {
            ++end;
        }
        if (!out.empty()) {
            out += ',';
        }
        out += std::to_string(numbers[i]);
        if (end > i) {
            out += ':';
            out += std::to_string(numbers[end]);
        }
        i = end + 1;
    }
    return out;
}

}  // namespace govmail::imap
