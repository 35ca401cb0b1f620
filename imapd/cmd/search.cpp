// SEARCH and UID SEARCH (RFC 3501 section 6.4.4, RFC 4731 ESEARCH, RFC 5182 SEARCHRES, RFC 7162
// MODSEQ); an IMAP4rev2 session gets ESEARCH for every SEARCH (RFC 9051 6.4.4). Flags,
// numbers and modseqs are matched against the selected view; sizes and dates against values
// read once per command; header and body text in SQL over the text cached at delivery, all text
// keys in one pass over the mailbox. Untrusted input bounds the work: at most
// imap.max_search_text_keys text keys a command, and imap.search_timeout for the text search
// (NO [LIMIT] past either; the session and every other one go on).

#include <algorithm>
#include <chrono>
#include <map>
#include <span>
#include <unordered_map>

#include "common/imap_string.hpp"
#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"
#include "imapd/cmd/search_matches.hpp"
#include "imapd/proto/tokenizer.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::imap {
namespace {

using storage::Uid;

struct Inputs {
    // Each text key's matches in UID order: 4 bytes a match, for keys x messages matches.
    std::map<const SearchKey*, std::vector<Uid>> text_matches;
    std::unordered_map<Uid, storage::SearchAttributes> attributes;
};

// The storage query for a text key, or nullopt for other keys.
std::optional<storage::TextQuery> text_query(const SearchKey& key) {
    using storage::TextField;
    switch (key.kind) {
        case SearchKeyKind::Bcc:
            return storage::TextQuery{TextField::Header, "Bcc", key.text};
        case SearchKeyKind::Cc:
            return storage::TextQuery{TextField::Header, "Cc", key.text};
        case SearchKeyKind::From:
            return storage::TextQuery{TextField::Header, "From", key.text};
        case SearchKeyKind::Subject:
            return storage::TextQuery{TextField::Header, "Subject", key.text};
        case SearchKeyKind::To:
            return storage::TextQuery{TextField::Header, "To", key.text};
        case SearchKeyKind::Header:
            return storage::TextQuery{TextField::Header, key.header_name, key.text};
        case SearchKeyKind::Body:
            return storage::TextQuery{TextField::Body, {}, key.text};
        case SearchKeyKind::Text:
            return storage::TextQuery{TextField::Text, {}, key.text};
        default:
            return std::nullopt;
    }
}

bool is_sent_date(SearchKeyKind kind) {
    return kind == SearchKeyKind::SentBefore || kind == SearchKeyKind::SentOn ||
           kind == SearchKeyKind::SentSince;
}

bool needs_attributes(SearchKeyKind kind) {
    switch (kind) {
        case SearchKeyKind::Before:
        case SearchKeyKind::On:
        case SearchKeyKind::Since:
        case SearchKeyKind::SentBefore:
        case SearchKeyKind::SentOn:
        case SearchKeyKind::SentSince:
        case SearchKeyKind::Larger:
        case SearchKeyKind::Smaller:
            return true;
        default:
            return false;
    }
}

// What a SEARCH reads besides the view: text matches, and per-message attributes (with the
// Date header's day when a SENT* key needs it).
struct Needs {
    std::vector<const SearchKey*> text_keys;
    bool attributes = false;
    bool sent_day = false;
    bool modseq = false;
};

void collect(const SearchKey& key, Needs& needs) {
    if (text_query(key)) {
        needs.text_keys.push_back(&key);
    }
    needs.attributes = needs.attributes || needs_attributes(key.kind);
    needs.sent_day = needs.sent_day || is_sent_date(key.kind);
    needs.modseq = needs.modseq || key.kind == SearchKeyKind::ModSeq;
    for (const auto& child : key.children) {
        collect(child, needs);
    }
}

Awaitable<Result<Inputs>> load_inputs(Session& s, const Needs& needs) {
    const auto& text_keys = needs.text_keys;
    Inputs inputs;
    const auto account = s.account_id();
    const auto mailbox = s.selected->mailbox_id();
    if (!text_keys.empty()) {
        std::vector<storage::TextQuery> queries;
        for (const auto* key : text_keys) {
            queries.push_back(*text_query(*key));
        }
        auto matches = co_await s.server.store.search_texts(
            account, mailbox, queries, s.server.config.imap.search_timeout
        );
        if (!matches) {
            co_return matches.error();
        }
        for (std::size_t i = 0; i < text_keys.size(); ++i) {
            inputs.text_matches[text_keys[i]] = std::move((*matches)[i]);
        }
    }
    if (needs.attributes) {
        auto rows = co_await s.server.store.search_attributes(account, mailbox, needs.sent_day);
        if (!rows) {
            co_return rows.error();
        }
        for (const auto& row : *rows) {
            inputs.attributes.emplace(row.uid, row);
        }
    }
    co_return inputs;
}

std::chrono::sys_days day_of(std::int64_t unix_seconds) {
    return std::chrono::floor<std::chrono::days>(
        std::chrono::sys_seconds(std::chrono::seconds(unix_seconds))
    );
}

std::chrono::sys_days sent_day(std::int64_t days_since_epoch) {
    return std::chrono::sys_days(std::chrono::days(days_since_epoch));
}

bool in_saved_result(const SelectedView& view, storage::Uid uid) {
    return std::ranges::binary_search(view.saved_result(), uid);
}

bool in_set(const SequenceSet& set, std::uint32_t number, std::uint32_t largest) {
    return std::ranges::any_of(resolve_sequence_set(set, largest), [&](const SeqRange& r) {
        return r.first <= number && number <= r.last;
    });
}

bool has_flag(const ViewMessage& m, std::string_view flag) {
    return std::ranges::any_of(m.flags, [&](const auto& f) { return iequals(f, flag); });
}

class Matcher {
public:
    Matcher(const SelectedView& view, const Inputs& inputs) : view_(view), inputs_(inputs) {}

    bool matches(const SearchKey& key, std::uint32_t msn) const {
        const auto& m = view_.at(msn);
        switch (key.kind) {
            case SearchKeyKind::And:
                return std::ranges::all_of(key.children, [&](const auto& c) {
                    return matches(c, msn);
                });
            case SearchKeyKind::Or:
                return matches(key.children[0], msn) || matches(key.children[1], msn);
            case SearchKeyKind::Not:
                return !matches(key.children[0], msn);
            case SearchKeyKind::All:
                return true;
            case SearchKeyKind::Old:
                return !m.recent;
            case SearchKeyKind::New:
                return m.recent && !has_flag(m, "\\Seen");
            case SearchKeyKind::Recent:
                return m.recent;
            case SearchKeyKind::SequenceSet:
                return key.set.saved_result ? in_saved_result(view_, m.uid)
                                            : in_set(key.set, msn, view_.exists());
            case SearchKeyKind::Uid:
                return key.set.saved_result ? in_saved_result(view_, m.uid)
                                            : in_set(key.set, m.uid, view_.at(view_.exists()).uid);
            case SearchKeyKind::Answered:
                return has_flag(m, "\\Answered");
            case SearchKeyKind::Deleted:
                return has_flag(m, "\\Deleted");
            case SearchKeyKind::Draft:
                return has_flag(m, "\\Draft");
            case SearchKeyKind::Flagged:
                return has_flag(m, "\\Flagged");
            case SearchKeyKind::Seen:
                return has_flag(m, "\\Seen");
            case SearchKeyKind::Unanswered:
                return !has_flag(m, "\\Answered");
            case SearchKeyKind::Undeleted:
                return !has_flag(m, "\\Deleted");
            case SearchKeyKind::Undraft:
                return !has_flag(m, "\\Draft");
            case SearchKeyKind::Unflagged:
                return !has_flag(m, "\\Flagged");
            case SearchKeyKind::Unseen:
                return !has_flag(m, "\\Seen");
            case SearchKeyKind::Keyword:
                return has_flag(m, key.text);
            case SearchKeyKind::Unkeyword:
                return !has_flag(m, key.text);
            case SearchKeyKind::Bcc:
            case SearchKeyKind::Cc:
            case SearchKeyKind::From:
            case SearchKeyKind::Subject:
            case SearchKeyKind::To:
            case SearchKeyKind::Body:
            case SearchKeyKind::Text:
            case SearchKeyKind::Header:
                return std::ranges::binary_search(inputs_.text_matches.at(&key), m.uid);
            case SearchKeyKind::ModSeq:
                return m.modseq >= key.number;
            default:
                return matches_attributes(key, m.uid);
        }
    }

private:
    bool matches_attributes(const SearchKey& key, Uid uid) const {
        const auto it = inputs_.attributes.find(uid);
        if (it == inputs_.attributes.end()) {
            return false;  // expunged meanwhile
        }
        const auto& a = it->second;
        const std::chrono::sys_days date(key.date);
        switch (key.kind) {
            case SearchKeyKind::Before:
                return day_of(a.internal_date) < date;
            case SearchKeyKind::On:
                return day_of(a.internal_date) == date;
            case SearchKeyKind::Since:
                return day_of(a.internal_date) >= date;
            case SearchKeyKind::SentBefore:
                return a.sent_day && sent_day(*a.sent_day) < date;
            case SearchKeyKind::SentOn:
                return a.sent_day && sent_day(*a.sent_day) == date;
            case SearchKeyKind::SentSince:
                return a.sent_day && sent_day(*a.sent_day) >= date;
            case SearchKeyKind::Larger:
                return a.size > key.number;
            case SearchKeyKind::Smaller:
                return a.size < key.number;
            default:
                return false;
        }
    }

    const SelectedView& view_;
    const Inputs& inputs_;
};

struct Found {
    std::uint32_t number = 0;  // message number or UID
    Uid uid = 0;
    storage::ModSeq modseq = 0;
};

storage::ModSeq highest_modseq(std::span<const Found> found) {
    storage::ModSeq highest = 0;
    for (const auto& f : found) {
        highest = std::max(highest, f.modseq);
    }
    return highest;
}

// RFC 7162 3.1.5: with MIN or MAX alone, the modseq of the messages returned; otherwise of
// every message found.
storage::ModSeq esearch_modseq(const SearchReturn& returns, const std::vector<Found>& found) {
    if (returns.all || returns.count || !(returns.min || returns.max)) {
        return highest_modseq(found);
    }
    return std::max(returns.min ? found.front().modseq : 0, returns.max ? found.back().modseq : 0);
}

std::string esearch_response(
    const Session& s,
    const Search& c,
    const SearchReturn& returns,
    const std::vector<Found>& found,
    bool with_modseq
) {
    const bool all = returns.all || !(returns.min || returns.max || returns.count);
    std::string line = "ESEARCH (TAG " + imap_string(s.tag) + ")";
    if (c.uid) {
        line += " UID";
    }
    if (returns.min && !found.empty()) {
        line += " MIN " + std::to_string(found.front().number);
    }
    if (returns.max && !found.empty()) {
        line += " MAX " + std::to_string(found.back().number);
    }
    if (returns.count) {
        line += " COUNT " + std::to_string(found.size());
    }
    if (all && !found.empty()) {
        std::vector<std::uint32_t> numbers;
        numbers.reserve(found.size());
        for (const auto& f : found) {
            numbers.push_back(f.number);
        }
        line += " ALL " + format_sequence_set(numbers);
    }
    if (with_modseq && !found.empty()) {
        line += " MODSEQ " + std::to_string(esearch_modseq(returns, found));
    }
    return line;
}

// RFC 5182 2.1: with MIN or MAX alone SAVE keeps those messages, otherwise all it found.
std::vector<Uid> result_to_save(const SearchReturn& returns, const std::vector<Found>& found) {
    std::vector<Uid> uids;
    for (const auto& f : found) {
        uids.push_back(f.uid);
    }
    if (returns.all || returns.count || !(returns.min || returns.max) || found.empty()) {
        return uids;
    }
    std::vector<Uid> kept;
    if (returns.min) {
        kept.push_back(uids.front());
    }
    if (returns.max && (!returns.min || uids.size() > 1)) {
        kept.push_back(uids.back());
    }
    return kept;
}

}  // namespace

Awaitable<std::variant<SearchMatches, Reply>> match_messages(
    Session& s, const SearchKey& criteria
) {
    Needs needs;
    collect(criteria, needs);
    const auto max_text_keys = s.server.config.imap.max_search_text_keys;
    if (needs.text_keys.size() > max_text_keys) {
        co_return refuse(
            "LIMIT", "Too many text search keys, at most " + std::to_string(max_text_keys)
        );
    }
    auto inputs = co_await load_inputs(s, needs);
    if (!inputs) {
        co_return inputs.error() == make_error_code(storage::Errc::Limit)
            ? refuse("LIMIT", "Search took too long, search for less")
            : storage_failure(s, inputs.error());
    }
    const auto& view = *s.selected;
    const Matcher matcher(view, *inputs);
    SearchMatches matches;
    matches.uses_modseq = needs.modseq;
    for (std::uint32_t msn = 1; msn <= view.exists(); ++msn) {
        if (!view.at(msn).expunged && matcher.matches(criteria, msn)) {
            matches.msns.push_back(msn);
        }
    }
    co_return matches;
}

Awaitable<Reply> handle_search(Session& s, const Search& c) {
    const bool save = c.returns && c.returns->save;
    auto matched = co_await match_messages(s, c.criteria);
    if (auto* refusal = std::get_if<Reply>(&matched)) {
        // RFC 5182 2.1: a SEARCH ... RETURN (SAVE) that fails leaves "$" empty.
        if (save) {
            s.selected->save_result({});
        }
        co_return std::move(*refusal);
    }
    const auto& matches = std::get<SearchMatches>(matched);
    const auto& view = *s.selected;
    std::vector<Found> found;
    for (const auto msn : matches.msns) {
        const auto& m = view.at(msn);
        found.push_back(Found{c.uid ? m.uid : msn, m.uid, m.modseq});
    }
    if (save) {
        s.selected->save_result(result_to_save(*c.returns, found));
    }
    if (c.returns || s.imap4rev2) {
        const auto returns = c.returns.value_or(SearchReturn{.all = true});
        if (!(save && returns == SearchReturn{.save = true})) {
            s.untagged(esearch_response(s, c, returns, found, matches.uses_modseq));
        }
    } else {
        std::string line = "SEARCH";
        for (const auto& f : found) {
            line += " " + std::to_string(f.number);
        }
        if (matches.uses_modseq && !found.empty()) {
            line += " (MODSEQ " + std::to_string(highest_modseq(found)) + ")";
        }
        s.untagged(line);
    }
    co_return Reply::ok("SEARCH completed");
}

}  // namespace govmail::imap
