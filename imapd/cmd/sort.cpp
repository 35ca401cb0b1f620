// SORT and UID SORT (RFC 5256 section 3), the DISPLAYFROM and DISPLAYTO keys (RFC 5957) and
// ESORT's SORT RETURN (...) answered with ESEARCH (RFC 5267). The messages are those SEARCH
// selects (search.cpp, with its limits); the keys come from values stored at delivery
// (storage::SortFields), computed once per message and command. Strings compare after
// mime::casemap_fold; ties keep mailbox order. ARRIVAL orders by internal date, then by
// mailbox order, so REVERSE ARRIVAL lists messages delivered within one second newest first.

#include <algorithm>
#include <compare>
#include <variant>

#include "common/imap_string.hpp"
#include "imapd/cmd/handlers.hpp"
#include "imapd/cmd/sort_inputs.hpp"
#include "mime/address_sort_keys.hpp"
#include "mime/base_subject.hpp"

namespace govmail::imap {
namespace {

using SortValue = std::variant<std::int64_t, std::string>;

struct SortedMessage {
    std::uint32_t number = 0;
    std::vector<SortValue> values;  // one per criterion
};

SortValue sort_value(SortKeyKind key, const SortInput& input) {
    const auto& f = input.fields;
    switch (key) {
        case SortKeyKind::Arrival:
            return f.internal_date;
        case SortKeyKind::Date:
            return f.sent_date.value_or(f.internal_date);
        case SortKeyKind::Size:
            return static_cast<std::int64_t>(f.size);
        case SortKeyKind::Subject:
            return mime::base_subject(f.subject).text;
        case SortKeyKind::From:
            return mime::mailbox_sort_key(f.from);
        case SortKeyKind::To:
            return mime::mailbox_sort_key(f.to);
        case SortKeyKind::Cc:
            return mime::mailbox_sort_key(f.cc);
        case SortKeyKind::DisplayFrom:
            return mime::display_sort_key(f.from);
        case SortKeyKind::DisplayTo:
            return mime::display_sort_key(f.to);
    }
    return std::int64_t{0};
}

std::vector<SortedMessage> sort_messages(
    const std::vector<SortInput>& inputs, const std::vector<SortCriterion>& criteria
) {
    std::vector<SortedMessage> sorted;
    sorted.reserve(inputs.size());
    for (const auto& input : inputs) {
        SortedMessage message{input.number, {}};
        for (const auto& criterion : criteria) {
            message.values.push_back(sort_value(criterion.key, input));
        }
        sorted.push_back(std::move(message));
    }
    // Input is in mailbox order; ARRIVAL alone among the keys orders by it too (see above).
    std::vector<std::size_t> order(sorted.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    const auto compare = [&](std::size_t a, std::size_t b) {
        for (std::size_t k = 0; k < criteria.size(); ++k) {
            auto result = sorted[a].values[k] <=> sorted[b].values[k];
            if (result == 0 && criteria[k].key == SortKeyKind::Arrival) {
                result = a <=> b;
            }
            if (result != 0) {
                return criteria[k].reverse ? result > 0 : result < 0;
            }
        }
        return false;
    };
    std::ranges::stable_sort(order, compare);
    std::vector<SortedMessage> out;
    out.reserve(sorted.size());
    for (const auto i : order) {
        out.push_back(std::move(sorted[i]));
    }
    return out;
}

// The numbers in their sorted order as a sequence-set (RFC 5267 section 3.2): ascending runs
// shortened to "a:b", everything else listed one by one.
std::string ordered_sequence_set(const std::vector<SortedMessage>& sorted) {
    std::string out;
    std::size_t i = 0;
    while (i < sorted.size()) {
        std::size_t end = i;
        while (end + 1 < sorted.size() && sorted[end + 1].number == sorted[end].number + 1) {
            ++end;
        }
        if (!out.empty()) {
            out += ',';
        }
        out += std::to_string(sorted[i].number);
        if (end > i) {
            out += ':' + std::to_string(sorted[end].number);
        }
        i = end + 1;
    }
    return out;
}

// ESORT: MIN and MAX are the first and last messages in sort order.
std::string esort_response(
    const Session& s, const Sort& c, const std::vector<SortedMessage>& sorted
) {
    const auto& returns = *c.returns;
    std::string line = "ESEARCH (TAG " + imap_string(s.tag) + ")";
    if (c.uid) {
        line += " UID";
    }
    if (returns.min && !sorted.empty()) {
        line += " MIN " + std::to_string(sorted.front().number);
    }
    if (returns.max && !sorted.empty()) {
        line += " MAX " + std::to_string(sorted.back().number);
    }
    if (returns.count) {
        line += " COUNT " + std::to_string(sorted.size());
    }
    if (returns.all && !sorted.empty()) {
        line += " ALL " + ordered_sequence_set(sorted);
    }
    return line;
}

}  // namespace

Awaitable<Reply> handle_sort(Session& s, const Sort& c) {
    auto loaded = co_await load_sort_inputs(s, c.search, c.uid);
    if (auto* refusal = std::get_if<Reply>(&loaded)) {
        co_return std::move(*refusal);
    }
    const auto sorted = sort_messages(std::get<std::vector<SortInput>>(loaded), c.criteria);
    if (c.returns) {
        s.untagged(esort_response(s, c, sorted));
    } else {
        std::string line = "SORT";
        for (const auto& message : sorted) {
            line += " " + std::to_string(message.number);
        }
        s.untagged(line);
    }
    co_return Reply::ok("SORT completed");
}

}  // namespace govmail::imap
