#pragma once

// What QRESYNC (RFC 7162 section 3.2) tells a client that last saw the selected mailbox at
// some modseq: the UIDs it must forget (VANISHED (EARLIER), for SELECT/EXAMINE ... (QRESYNC
// ...) and UID FETCH ... (CHANGEDSINCE n VANISHED)) and the messages whose flags it must
// read again. Pure, no I/O: storage's changes are read by the caller.

#include <optional>
#include <string>
#include <vector>

#include "imapd/cmd/selected_view.hpp"
#include "imapd/proto/sequence_set.hpp"
#include "storage/types.hpp"

namespace govmail::imap {

// The UIDs of KNOWN (every UID below the view's UIDNEXT when nullopt or "$") that CHANGES,
// read since the client's modseq, report expunged and the view does not hold, as sequence-set
// text ("" for none). When the bounded history has forgotten some of them
// (expunges_forgotten), every UID of KNOWN below UIDNEXT that the view does not hold: UIDs the
// client never knew are allowed there and ignored by it, so it resynchronises fully.
std::string vanished_earlier(
    const SelectedView& view,
    const storage::MailboxChanges& changes,
    const std::optional<SequenceSet>& known
);

// The message numbers, ascending, of the messages of KNOWN (all when nullopt) the view holds
// with a modseq above MODSEQ: those whose flags the client must read again.
std::vector<std::uint32_t> changed_since(
    const SelectedView& view, storage::ModSeq modseq, const std::optional<SequenceSet>& known
);

}  // namespace govmail::imap
