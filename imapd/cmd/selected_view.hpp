#pragma once

// The selected mailbox as one session has announced it to its client (RFC 3501 sections 2.3.1
// and 7.4.1): message sequence numbers, UIDs, flags and modseqs. Changes read from storage
// are applied here and reported as EXISTS, EXPUNGE (or VANISHED) and FETCH FLAGS when the session
// may send them; an expunge stays pending (the message keeps its number) until then, so numbers
// never shift under a FETCH, STORE or SEARCH. Pure state, no I/O.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "imapd/proto/sequence_set.hpp"
#include "storage/types.hpp"

namespace govmail::imap {

// The system flags every mailbox defines (RFC 3501 2.3.2), in the order FLAGS lists them.
inline constexpr std::string_view kSystemFlags = R"(\Answered \Flagged \Deleted \Seen \Draft)";

// One message as handlers read it. FLAGS refers into the view's table of flag sets: valid
// until the view's flags next change.
struct ViewMessage {
    storage::Uid uid = 0;
    storage::ModSeq modseq = 0;
    const std::vector<std::string>& flags;
    bool expunged = false;  // gone from storage, EXPUNGE not yet sent
    bool recent = false;    // \Recent: this session is the first to see it

    bool has_flag(std::string_view flag) const;
};

// The distinct flag lists of a mailbox, each stored once: a mailbox of thousands of messages
// has a handful (none, \Seen, \Seen \Answered, ...). Indexes and references stay valid.
class FlagSets {
public:
    FlagSets() = default;
    FlagSets(const FlagSets&) = delete;  // sets_ points into index_
    FlagSets& operator=(const FlagSets&) = delete;
    FlagSets(FlagSets&&) = default;
    FlagSets& operator=(FlagSets&&) = default;

    std::uint32_t intern(const std::vector<std::string>& flags);
    const std::vector<std::string>& operator[](std::uint32_t index) const { return *sets_[index]; }
    std::size_t size() const { return sets_.size(); }

private:
    std::map<std::vector<std::string>, std::uint32_t> index_;
    std::vector<const std::vector<std::string>*> sets_;
};

class SelectedView {
public:
    SelectedView(
        const storage::MailboxInfo& mailbox,
        std::vector<storage::MessageState> messages,
        bool read_only
    );

    storage::MailboxId mailbox_id() const { return mailbox_id_; }
    const std::string& name() const { return name_; }
    std::uint32_t uidvalidity() const { return uidvalidity_; }
    bool read_only() const { return read_only_; }
    // The modseq up to which changes have been read from storage.
    storage::ModSeq modseq() const { return modseq_; }
    // The highest modseq the client has seen: modseq(), or a later one of this session's own
    // STORE (others' changes below it may still be unread).
    storage::ModSeq highest_modseq() const { return std::max(modseq_, own_modseq_); }

    // Messages as the client counts them (pending expunges included); numbers start at 1.
    std::uint32_t exists() const { return static_cast<std::uint32_t>(messages_.size()); }
    ViewMessage at(std::uint32_t msn) const;
    std::optional<std::uint32_t> msn_of(storage::Uid uid) const;
    storage::Uid uidnext() const { return uidnext_; }
    // The distinct flag lists held: a few, never more than twice the messages plus 17.
    std::size_t flag_set_count() const { return flag_sets_.size(); }

    // The message numbers SET names, ascending; UIDs that do not exist are left out, and "$"
    // names the saved result. Nullopt (BAD) for a message number that does not exist.
    std::optional<std::vector<std::uint32_t>> resolve(const SequenceSet& set, bool uid) const;
    // The UIDs of MSNS as ranges for storage.
    storage::UidRanges uid_ranges(const std::vector<std::uint32_t>& msns) const;

    // \Recent (RFC 3501 2.3.2). The highest UID the view holds, and whether this session
    // (not read-only) has yet to claim the UIDs up to it as its recent ones.
    storage::Uid highest_uid() const { return messages_.empty() ? 0 : messages_.back().uid; }
    bool has_unclaimed() const { return !read_only_ && highest_uid() > claimed_up_to_; }
    // The UIDs above ABOVE up to UP_TO are recent to this session (ABOVE is the mailbox's mark
    // it moved); the next flush says RECENT.
    void add_recent(storage::Uid above, storage::Uid up_to);
    // Forgets the recent messages: a new SELECT or EXAMINE counts them again.
    void clear_recent();
    std::uint32_t recent_count() const;
    // SELECT's own RECENT has said it: no RECENT at the next flush.
    void recent_announced() { recent_grew_ = false; }
    // IMAP4rev2 (RFC 9051) has no \Recent: no message is reported recent, no RECENT is sent.
    void hide_recent();

    // SEARCHRES (RFC 5182): the UIDs "$" names, ascending. A new view starts with none, and
    // expunged messages drop out as they leave the view.
    void save_result(std::vector<storage::Uid> uids) { saved_result_ = std::move(uids); }
    const std::vector<storage::Uid>& saved_result() const { return saved_result_; }

    // Changes read from storage.
    void apply(const storage::MailboxChanges& changes);
    // Whether MAILBOX, as storage has it now, is the mailbox this view shows (the same id and
    // UIDVALIDITY), so that a new SELECT of it may reopen() this view.
    bool shows(const storage::MailboxInfo& mailbox) const;
    // The view a new SELECT (READ_ONLY: EXAMINE) of the mailbox announces, caught up with
    // CHANGES (read since modseq()) instead of reading every message again: nothing is left
    // to report, for the client starts over from the SELECT's responses. MAILBOX as storage
    // has it now gives the name and the UIDNEXT and HIGHESTMODSEQ at least.
    void reopen(
        const storage::MailboxInfo& mailbox, const storage::MailboxChanges& changes, bool read_only
    );
    // The result of this session's own STORE: no FETCH is reported for it later.
    void apply_own(const storage::MessageState& state);
    // Messages this session removed (MOVE, EXPUNGE): reported at the next flush.
    void mark_expunged(const std::vector<storage::Uid>& uids);
    // Marks expunged every message whose UID is not in PRESENT (ascending): the UIDs in the
    // mailbox now, read when storage's expunged-UID history no longer reached back to
    // modseq() (MailboxChanges::expunges_forgotten).
    void expunge_missing(const std::vector<storage::Uid>& present);

    // "FLAGS (...)": the system flags and every keyword seen in the mailbox.
    std::string flags_response() const;
    // Appends an untagged FLAGS to OUT when a keyword appeared since FLAGS was last sent, so
    // that it comes before any FETCH carrying the keyword (RFC 3501 7.2.6).
    void flush_flags(std::string& out);
    // Appends the pending untagged responses to OUT: FLAGS (as flush_flags), EXPUNGE (only
    // when ALLOW_EXPUNGE; one VANISHED for them all when VANISHED, RFC 7162 3.2.10), EXISTS,
    // RECENT when new messages became recent, then FETCH for flags others changed (with MODSEQ
    // when WITH_MODSEQ).
    void flush_updates(
        std::string& out, bool allow_expunge, bool with_modseq, bool vanished = false
    );
    // "2 FETCH (UID 5 FLAGS (\Seen))" for message MSN, with " MODSEQ (n)" when WITH_MODSEQ.
    std::string flags_update(std::uint32_t msn, bool with_modseq) const;

private:
    // 16 bytes per message: sessions keep thousands of them while they sit in IDLE.
    struct Entry {
        static constexpr std::uint32_t kExpunged = 0x80000000;

        storage::Uid uid = 0;
        std::uint32_t flag_set = 0;  // index in flag_sets_, with kExpunged
        storage::ModSeq modseq = 0;

        bool expunged() const { return (flag_set & kExpunged) != 0; }
        std::uint32_t flags() const { return flag_set & ~kExpunged; }
    };
    static_assert(sizeof(Entry) == 16);

    Entry* find(storage::Uid uid);
    bool is_recent(storage::Uid uid) const;
    // Sets the flags of ENTRY; true when they differ from before.
    bool set_flags(Entry& entry, const std::vector<std::string>& flags);
    // Adds the keywords among FLAGS to keywords_.
    void note_keywords(const std::vector<std::string>& flags);

    storage::MailboxId mailbox_id_;
    std::string name_;
    std::uint32_t uidvalidity_;
    bool read_only_;
    storage::ModSeq modseq_;
    storage::ModSeq own_modseq_ = 0;
    storage::Uid uidnext_;
    FlagSets flag_sets_;
    std::set<std::string> keywords_;  // of the flag sets held, and those since announced
    bool keywords_grew_ = false;      // a keyword the last FLAGS did not list
    std::vector<Entry> messages_;
    std::uint32_t announced_exists_;
    storage::UidRanges recent_;       // claimed by this session, ascending
    storage::Uid claimed_up_to_ = 0;  // the UIDs up to here were claimed (or were not new)
    bool recent_grew_ = false;        // RECENT to be sent
    bool recent_hidden_ = false;      // IMAP4rev2
    std::vector<storage::Uid> saved_result_;
    std::set<storage::Uid> flags_changed_;
};

// The FETCH FLAGS item of M: "FLAGS (\Seen \Answered)", with \Recent when M is recent.
std::string fetch_flags_item(const ViewMessage& m);

}  // namespace govmail::imap
