#pragma once

// The selected mailbox as one session has announced it to its client (RFC 3501 sections 2.3.1
// and 7.4.1): message sequence numbers, UIDs, flags and modseqs. Changes read from storage
// are applied here and reported as EXISTS, EXPUNGE and FETCH FLAGS when the session may send
// them; an expunge stays pending (the message keeps its number) until then, so numbers never
// shift under a FETCH, STORE or SEARCH. Pure state, no I/O.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "imapd/proto/sequence_set.hpp"
#include "storage/imap_store.hpp"
#include "storage/types.hpp"

namespace govmail::imap {

struct ViewMessage {
    storage::Uid uid = 0;
    storage::ModSeq modseq = 0;
    std::vector<std::string> flags;
    bool expunged = false;  // gone from storage, EXPUNGE not yet sent

    bool has_flag(std::string_view flag) const;
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
    storage::ModSeq modseq() const { return modseq_; }

    // Messages as the client counts them (pending expunges included); numbers start at 1.
    std::uint32_t exists() const { return static_cast<std::uint32_t>(messages_.size()); }
    const ViewMessage& at(std::uint32_t msn) const { return messages_[msn - 1]; }
    std::optional<std::uint32_t> msn_of(storage::Uid uid) const;
    storage::Uid uidnext() const { return uidnext_; }

    // The message numbers SET names, ascending; UIDs that do not exist are left out. Nullopt
    // (BAD) for a message number that does not exist and for "$".
    std::optional<std::vector<std::uint32_t>> resolve(const SequenceSet& set, bool uid) const;
    // The UIDs of MSNS as ranges for storage.
    storage::UidRanges uid_ranges(const std::vector<std::uint32_t>& msns) const;

    // Changes read from storage.
    void apply(const storage::MailboxChanges& changes);
    // The result of this session's own STORE: no FETCH is reported for it later.
    void apply_own(const storage::MessageState& state);
    // Messages this session removed (MOVE, EXPUNGE): reported at the next flush.
    void mark_expunged(const std::vector<storage::Uid>& uids);

    // Appends the pending untagged responses to OUT: EXPUNGE (only when ALLOW_EXPUNGE),
    // EXISTS, then FETCH for flags others changed (with MODSEQ when WITH_MODSEQ).
    void flush_updates(std::string& out, bool allow_expunge, bool with_modseq);

private:
    ViewMessage* find(storage::Uid uid);

    storage::MailboxId mailbox_id_;
    std::string name_;
    std::uint32_t uidvalidity_;
    bool read_only_;
    storage::ModSeq modseq_;
    storage::Uid uidnext_;
    std::vector<ViewMessage> messages_;
    std::uint32_t announced_exists_;
    std::set<storage::Uid> flags_changed_;
};

// "\Seen \Answered" and the like as the FETCH FLAGS item: "FLAGS (\Seen \Answered)".
std::string fetch_flags_item(const std::vector<std::string>& flags);

}  // namespace govmail::imap
