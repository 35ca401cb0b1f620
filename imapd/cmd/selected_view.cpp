#include "imapd/cmd/selected_view.hpp"

#include <algorithm>

#include "imapd/proto/response.hpp"

namespace govmail::imap {

bool ViewMessage::has_flag(std::string_view flag) const {
    return std::ranges::find(flags, flag) != flags.end();
}

std::uint32_t FlagSets::intern(const std::vector<std::string>& flags) {
    const auto [it, added] = index_.try_emplace(flags, static_cast<std::uint32_t>(sets_.size()));
    if (added) {
        sets_.push_back(&it->first);
    }
    return it->second;
}

SelectedView::SelectedView(
    const storage::MailboxInfo& mailbox, std::vector<storage::MessageState> messages, bool read_only
)
    : mailbox_id_(mailbox.id),
      name_(mailbox.name),
      uidvalidity_(mailbox.uidvalidity),
      read_only_(read_only),
      modseq_(mailbox.highest_modseq),
      uidnext_(mailbox.uidnext) {
    messages_.reserve(messages.size());
    for (const auto& m : messages) {
        messages_.push_back(Entry{m.uid, flag_sets_.intern(m.flags), m.modseq});
    }
    if (!messages_.empty()) {
        uidnext_ = std::max(uidnext_, messages_.back().uid + 1);
    }
    for (std::uint32_t i = 0; i < flag_sets_.size(); ++i) {
        note_keywords(flag_sets_[i]);
    }
    keywords_grew_ = false;
    announced_exists_ = exists();
}

void SelectedView::note_keywords(const std::vector<std::string>& flags) {
    for (const auto& flag : flags) {
        if (!flag.starts_with('\\') && keywords_.insert(flag).second) {
            keywords_grew_ = true;
        }
    }
}

ViewMessage SelectedView::at(std::uint32_t msn) const {
    const auto& entry = messages_[msn - 1];
    return ViewMessage{
        entry.uid, entry.modseq, flag_sets_[entry.flags()], entry.expunged(), is_recent(entry.uid)};
}

bool SelectedView::is_recent(storage::Uid uid) const {
    return !recent_hidden_ && std::ranges::any_of(recent_, [&](const auto& range) {
        return range.first <= uid && uid <= range.second;
    });
}

void SelectedView::add_recent(storage::Uid above, storage::Uid up_to) {
    if (above < up_to) {
        recent_.emplace_back(above + 1, up_to);
        recent_grew_ = !recent_hidden_;
    }
    claimed_up_to_ = std::max(claimed_up_to_, up_to);
}

void SelectedView::hide_recent() {
    recent_hidden_ = true;
    recent_grew_ = false;
}

void SelectedView::clear_recent() {
    recent_.clear();
    claimed_up_to_ = 0;
    recent_grew_ = false;
}

std::uint32_t SelectedView::recent_count() const {
    std::uint32_t count = 0;
    for (const auto& range : recent_) {
        auto it = std::ranges::lower_bound(messages_, range.first, {}, &Entry::uid);
        for (; it != messages_.end() && it->uid <= range.second; ++it) {
            count += it->expunged() ? 0 : 1;
        }
    }
    return count;
}

bool SelectedView::set_flags(Entry& entry, const std::vector<std::string>& flags) {
    // Flag lists no message has any more are dropped once they outnumber the messages, so a
    // client cycling through keywords cannot grow the table without bound.
    if (flag_sets_.size() > 2 * messages_.size() + 16) {
        FlagSets kept;
        for (auto& e : messages_) {
            e.flag_set = kept.intern(flag_sets_[e.flags()]) | (e.flag_set & Entry::kExpunged);
        }
        flag_sets_ = std::move(kept);
        // Keywords no message has any more go too; the next FLAGS lists only those in use.
        keywords_.clear();
        for (std::uint32_t i = 0; i < flag_sets_.size(); ++i) {
            note_keywords(flag_sets_[i]);
        }
        keywords_grew_ = false;
    }
    note_keywords(flags);
    const auto index = flag_sets_.intern(flags);
    const bool changed = index != entry.flags();
    entry.flag_set = index | (entry.flag_set & Entry::kExpunged);
    return changed;
}

std::optional<std::uint32_t> SelectedView::msn_of(storage::Uid uid) const {
    const auto it = std::ranges::lower_bound(messages_, uid, {}, &Entry::uid);
    if (it == messages_.end() || it->uid != uid) {
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(it - messages_.begin() + 1);
}

SelectedView::Entry* SelectedView::find(storage::Uid uid) {
    const auto msn = msn_of(uid);
    return msn ? &messages_[*msn - 1] : nullptr;
}

std::optional<std::vector<std::uint32_t>> SelectedView::resolve(const SequenceSet& set, bool uid)
    const {
    std::vector<std::uint32_t> out;
    if (set.saved_result) {
        for (const auto saved : saved_result_) {
            if (const auto msn = msn_of(saved)) {
                out.push_back(*msn);
            }
        }
        return out;
    }
    if (!uid) {
        for (const auto& range : resolve_sequence_set(set, exists())) {
            if (range.first == 0 || range.last > exists()) {
                return std::nullopt;
            }
            for (auto msn = range.first; msn <= range.last; ++msn) {
                out.push_back(msn);
            }
        }
        return out;
    }
    const storage::Uid largest = messages_.empty() ? 0 : messages_.back().uid;
    for (const auto& range : resolve_sequence_set(set, largest)) {
        auto it = std::ranges::lower_bound(messages_, range.first, {}, &Entry::uid);
        for (; it != messages_.end() && it->uid <= range.last; ++it) {
            out.push_back(static_cast<std::uint32_t>(it - messages_.begin() + 1));
        }
    }
    std::ranges::sort(out);
    // std::unique, not std::ranges::unique: clang 14 (clang-tidy) cannot compile libstdc++ 12's
    // ranges::subrange.
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

storage::UidRanges SelectedView::uid_ranges(const std::vector<std::uint32_t>& msns) const {
    storage::UidRanges ranges;
    std::uint32_t previous = 0;
    for (const auto msn : msns) {
        const auto uid = messages_[msn - 1].uid;
        if (!ranges.empty() && msn == previous + 1) {
            ranges.back().second = uid;
        } else {
            ranges.emplace_back(uid, uid);
        }
        previous = msn;
    }
    return ranges;
}

void SelectedView::apply(const storage::MailboxChanges& changes) {
    for (const auto& state : changes.changed) {
        if (auto* message = find(state.uid)) {
            if (!message->expunged() && set_flags(*message, state.flags)) {
                flags_changed_.insert(state.uid);
            }
            message->modseq = state.modseq;
            continue;
        }
        if (state.uid < uidnext_) {
            continue;  // appended and expunged again before we looked
        }
        note_keywords(state.flags);
        messages_.push_back(Entry{state.uid, flag_sets_.intern(state.flags), state.modseq});
        uidnext_ = state.uid + 1;
    }
    mark_expunged(changes.expunged);
    modseq_ = std::max(modseq_, changes.highest_modseq);
}

bool SelectedView::shows(const storage::MailboxInfo& mailbox) const {
    return mailbox.id == mailbox_id_ && mailbox.uidvalidity == uidvalidity_;
}

void SelectedView::reopen(
    const storage::MailboxInfo& mailbox, const storage::MailboxChanges& changes, bool read_only
) {
    apply(changes);
    std::erase_if(messages_, [](const Entry& entry) { return entry.expunged(); });
    flags_changed_.clear();
    keywords_grew_ = false;
    saved_result_.clear();
    announced_exists_ = exists();
    name_ = mailbox.name;
    read_only_ = read_only;
    uidnext_ = std::max(uidnext_, mailbox.uidnext);
    // MAILBOX was read before CHANGES: everything up to its modseq is in the view now.
    modseq_ = std::max(modseq_, mailbox.highest_modseq);
}

void SelectedView::apply_own(const storage::MessageState& state) {
    if (auto* message = find(state.uid)) {
        set_flags(*message, state.flags);
        message->modseq = state.modseq;
        flags_changed_.erase(state.uid);
    }
    own_modseq_ = std::max(own_modseq_, state.modseq);
}

void SelectedView::mark_expunged(const std::vector<storage::Uid>& uids) {
    for (const auto uid : uids) {
        if (auto* message = find(uid)) {
            message->flag_set |= Entry::kExpunged;
            flags_changed_.erase(uid);
        }
    }
}

void SelectedView::expunge_missing(const std::vector<storage::Uid>& present) {
    for (auto& message : messages_) {
        if (!std::ranges::binary_search(present, message.uid)) {
            message.flag_set |= Entry::kExpunged;
            flags_changed_.erase(message.uid);
        }
    }
}

std::string SelectedView::flags_response() const {
    std::string line = "FLAGS (" + std::string(kSystemFlags);
    for (const auto& keyword : keywords_) {
        line += " " + keyword;
    }
    return line + ")";
}

void SelectedView::flush_flags(std::string& out) {
    if (keywords_grew_) {
        out += untagged_response(flags_response());
        keywords_grew_ = false;
    }
}

void SelectedView::flush_updates(
    std::string& out, bool allow_expunge, bool with_modseq, bool vanished
) {
    flush_flags(out);
    if (allow_expunge && vanished) {
        std::vector<std::uint32_t> gone;
        for (const auto& message : messages_) {
            if (message.expunged()) {
                gone.push_back(message.uid);
            }
        }
        if (!gone.empty()) {
            std::erase_if(messages_, [](const Entry& entry) { return entry.expunged(); });
            announced_exists_ -= static_cast<std::uint32_t>(gone.size());
            out += untagged_response("VANISHED " + format_sequence_set(std::move(gone)));
        }
    } else if (allow_expunge) {
        // Highest number first, so each number is still the one the client knows.
        for (auto msn = exists(); msn >= 1; --msn) {
            if (messages_[msn - 1].expunged()) {
                out += untagged_response(std::to_string(msn) + " EXPUNGE");
                messages_.erase(messages_.begin() + msn - 1);
                --announced_exists_;
            }
        }
    }
    if (announced_exists_ != exists()) {
        announced_exists_ = exists();
        out += untagged_response(std::to_string(announced_exists_) + " EXISTS");
    }
    if (recent_grew_) {
        recent_grew_ = false;
        out += untagged_response(std::to_string(recent_count()) + " RECENT");
    }
    for (const auto uid : flags_changed_) {
        if (const auto msn = msn_of(uid)) {
            out += untagged_response(flags_update(*msn, with_modseq));
        }
    }
    flags_changed_.clear();
}

std::string SelectedView::flags_update(std::uint32_t msn, bool with_modseq) const {
    const auto& message = at(msn);
    std::string line = std::to_string(msn) + " FETCH (UID " + std::to_string(message.uid) + " " +
                       fetch_flags_item(message);
    if (with_modseq) {
        line += " MODSEQ (" + std::to_string(message.modseq) + ")";
    }
    return line + ")";
}

std::string fetch_flags_item(const ViewMessage& m) {
    if (!m.recent) {
        return "FLAGS " + format_flag_list(m.flags);
    }
    auto flags = m.flags;
    flags.emplace_back("\\Recent");
    return "FLAGS " + format_flag_list(flags);
}

}  // namespace govmail::imap
