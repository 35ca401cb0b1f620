#include "imapd/cmd/qresync.hpp"

#include <algorithm>
#include <iterator>

namespace govmail::imap {
namespace {

// KNOWN with "*" as the highest UID given out so far, clipped to it; sorted and merged.
std::vector<SeqRange> known_ranges(
    const SelectedView& view, const std::optional<SequenceSet>& known
) {
    const storage::Uid highest = view.uidnext() - 1;
    if (highest == 0) {
        return {};
    }
    if (!known || known->saved_result) {
        return {SeqRange{1, highest}};
    }
    std::vector<SeqRange> ranges;
    for (const auto& range : resolve_sequence_set(*known, highest)) {
        if (range.first > highest) {
            break;
        }
        ranges.push_back(SeqRange{range.first, std::min(range.last, highest)});
    }
    return ranges;
}

bool in_ranges(const std::vector<SeqRange>& ranges, std::uint32_t uid) {
    const auto after = std::ranges::upper_bound(ranges, uid, {}, &SeqRange::first);
    return after != ranges.begin() && uid <= std::prev(after)->last;
}

// Whether the client still has UID in the view (an expunge not yet reported does not count).
bool holds(const SelectedView& view, storage::Uid uid) {
    const auto msn = view.msn_of(uid);
    return msn && !view.at(*msn).expunged;
}

void append_range(std::string& out, std::uint32_t first, std::uint32_t last) {
    if (!out.empty()) {
        out += ',';
    }
    out += std::to_string(first);
    if (last != first) {
        out += ':' + std::to_string(last);
    }
}

// Every UID of RANGES the view does not hold, as sequence-set text: the gaps between the
// held UIDs, so the work grows with the messages and ranges, not with the UIDs they span.
std::string absent_uids(const SelectedView& view, const std::vector<SeqRange>& ranges) {
    std::string out;
    std::uint32_t msn = 1;
    for (const auto& range : ranges) {
        while (msn <= view.exists() && view.at(msn).uid < range.first) {
            ++msn;
        }
        std::uint64_t next = range.first;
        for (; msn <= view.exists() && view.at(msn).uid <= range.last; ++msn) {
            const auto message = view.at(msn);
            if (message.expunged) {
                continue;
            }
            if (message.uid > next) {
                append_range(out, static_cast<std::uint32_t>(next), message.uid - 1);
            }
            next = std::uint64_t{message.uid} + 1;
        }
        if (next <= range.last) {
            append_range(out, static_cast<std::uint32_t>(next), range.last);
        }
    }
    return out;
}

}  // namespace

std::string vanished_earlier(
    const SelectedView& view,
    const storage::MailboxChanges& changes,
    const std::optional<SequenceSet>& known
) {
    const auto ranges = known_ranges(view, known);
    if (changes.expunges_forgotten) {
        return absent_uids(view, ranges);
    }
    std::vector<std::uint32_t> uids;
    for (const auto uid : changes.expunged) {
        if (in_ranges(ranges, uid) && !holds(view, uid)) {
            uids.push_back(uid);
        }
    }
    return format_sequence_set(std::move(uids));
}

std::vector<std::uint32_t> changed_since(
    const SelectedView& view, storage::ModSeq modseq, const std::optional<SequenceSet>& known
) {
    const auto ranges = known_ranges(view, known);
    std::vector<std::uint32_t> msns;
    for (std::uint32_t msn = 1; msn <= view.exists(); ++msn) {
        const auto message = view.at(msn);
        if (!message.expunged && message.modseq > modseq && in_ranges(ranges, message.uid)) {
            msns.push_back(msn);
        }
    }
    return msns;
}

}  // namespace govmail::imap
