// SELECT and EXAMINE (RFC 3501 sections 6.3.1-2, RFC 7162 CONDSTORE and QRESYNC), CHECK,
// CLOSE, UNSELECT (RFC 3691), and the catch-up of the selected view with storage after each
// command.

#include <limits>
#include <optional>

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"
#include "imapd/cmd/qresync.hpp"

namespace govmail::imap {
namespace {

void deselect(Session& s) {
    s.selected.reset();
    s.state = State::Authenticated;
    s.io.follow(std::nullopt);
}

void announce(Session& s, SelectedView& view) {
    s.untagged(view.flags_response());
    s.untagged(
        view.read_only()
            ? "OK [PERMANENTFLAGS ()] Read-only mailbox"
            : "OK [PERMANENTFLAGS (" + std::string(kSystemFlags) + R"( \*)] Flags permitted)"
    );
    s.untagged(std::to_string(view.exists()) + " EXISTS");
    if (!s.imap4rev2) {  // RFC 9051 6.3.2 has neither RECENT nor UNSEEN
        s.untagged(std::to_string(view.recent_count()) + " RECENT");
        view.recent_announced();
        for (std::uint32_t msn = 1; msn <= view.exists(); ++msn) {
            if (!view.at(msn).has_flag("\\Seen")) {
                s.untagged("OK [UNSEEN " + std::to_string(msn) + "] First unseen");
                break;
            }
        }
    }
    s.untagged("OK [UIDVALIDITY " + std::to_string(view.uidvalidity()) + "] UIDs valid");
    s.untagged("OK [UIDNEXT " + std::to_string(view.uidnext()) + "] Predicted next UID");
    s.untagged("OK [HIGHESTMODSEQ " + std::to_string(view.modseq()) + "] Highest");
}

// RFC 7162 3.2.5: what changed since the client's modseq, after the SELECT's own responses:
// VANISHED (EARLIER), then FETCH (UID FLAGS MODSEQ) of the changed messages it knows.
void report_resync(
    Session& s, const QresyncParams& q, const storage::MailboxChanges& changes_since_known
) {
    const auto& view = *s.selected;
    if (const auto vanished = vanished_earlier(view, changes_since_known, q.known_uids);
        !vanished.empty()) {
        s.untagged("VANISHED (EARLIER) " + vanished);
    }
    for (const auto msn : changed_since(view, q.mod_seq, q.known_uids)) {
        s.untagged(view.flags_update(msn, true));
    }
}

// The UIDs in the mailbox now, for catching up when the expunged-UID history has forgotten
// what the view needs.
Awaitable<Result<std::vector<storage::Uid>>> present_uids(Session& s, storage::MailboxId mailbox) {
    auto messages = co_await s.server.store.mailbox_view(s.account_id(), mailbox);
    if (!messages) {
        co_return messages.error();
    }
    std::vector<storage::Uid> uids;
    uids.reserve(messages->size());
    for (const auto& message : *messages) {
        uids.push_back(message.uid);
    }
    co_return uids;
}

}  // namespace

Awaitable<Reply> handle_select(Session& s, const Select& c) {
    if (c.qresync && !s.qresync) {
        co_return Reply::bad("QRESYNC is not enabled (ENABLE QRESYNC)");  // RFC 7162 3.2.5
    }
    std::optional<SelectedView> previous;
    if (s.selected) {
        previous = std::move(s.selected);
        deselect(s);
        s.untagged("OK [CLOSED] Previous mailbox closed");
    }
    auto& store = s.server.store;
    auto mailbox = co_await store.find_mailbox(s.account_id(), c.mailbox);
    if (!mailbox) {
        co_return storage_failure(s, mailbox.error());
    }
    if (previous && previous->shows(*mailbox)) {
        // The same mailbox again (clients re-SELECT to refresh): read only what changed,
        // unless the expunged-UID history no longer reaches back to the view.
        auto changes =
            co_await s.server.store.changes_since(s.account_id(), mailbox->id, previous->modseq());
        if (!changes) {
            co_return storage_failure(s, changes.error());
        }
        if (!changes->expunges_forgotten) {
            previous->reopen(*mailbox, *changes, c.read_only);
            s.selected = std::move(previous);
        }
    }
    if (!s.selected) {
        auto messages = co_await store.mailbox_view(s.account_id(), mailbox->id);
        if (!messages) {
            co_return storage_failure(s, messages.error());
        }
        s.selected.emplace(*mailbox, std::move(*messages), c.read_only);
    }
    auto& view = *s.selected;
    view.clear_recent();
    // EXAMINE counts the messages no session has seen yet and leaves them so (RFC 3501 6.3.2).
    const auto up_to = c.read_only ? std::numeric_limits<storage::Uid>::max() : view.highest_uid();
    auto above = co_await store.recent_above_uid(s.account_id(), mailbox->id, up_to, !c.read_only);
    if (!above) {
        s.selected.reset();
        co_return storage_failure(s, above.error());
    }
    if (s.imap4rev2) {
        view.hide_recent();
    }
    view.add_recent(*above, up_to);
    std::optional<storage::MailboxChanges> since_known;
    if (c.qresync && c.qresync->uid_validity == view.uidvalidity()) {
        // A client whose UIDVALIDITY is stale starts over: nothing to report (RFC 7162 3.2.5).
        auto changes =
            co_await store.changes_since(s.account_id(), mailbox->id, c.qresync->mod_seq);
        if (!changes) {
            s.selected.reset();
            co_return storage_failure(s, changes.error());
        }
        since_known = std::move(*changes);
    }
    s.state = State::Selected;
    s.condstore = s.condstore || c.condstore;
    s.io.follow(std::pair{s.account_id(), mailbox->id});
    announce(s, *s.selected);
    if (s.imap4rev2) {
        if (auto listed = co_await announce_list(s, mailbox->name); !listed) {
            co_return storage_failure(s, listed.error());
        }
    }
    if (since_known) {
        report_resync(s, *c.qresync, *since_known);
    }
    co_return Reply::ok(
        c.read_only ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed"
    );
}

Awaitable<Reply> handle_check(Session&, const Check&) { co_return Reply::ok("CHECK completed"); }

Awaitable<Reply> handle_close(Session& s, const Close&) {
    // RFC 3501 6.4.2: removes \Deleted messages without EXPUNGE responses.
    if (!s.selected->read_only()) {
        auto removed = co_await s.server.store.expunge(s.account_id(), s.selected->mailbox_id());
        if (!removed) {
            deselect(s);
            co_return storage_failure(s, removed.error());
        }
    }
    deselect(s);
    co_return Reply::ok("CLOSE completed");
}

Awaitable<Reply> handle_unselect(Session& s, const Unselect&) {
    deselect(s);
    co_return Reply::ok("UNSELECT completed");
}

Awaitable<Result<void>> sync_selected(Session& s, bool allow_expunge, Catchup when) {
    auto& view = *s.selected;
    const bool announced = s.io.take_changes();
    if (!announced && when == Catchup::WhenAnnounced) {
        view.flush_updates(s.out, allow_expunge, s.condstore, s.qresync);
        co_return Result<void>{};
    }
    auto changes =
        co_await s.server.store.changes_since(s.account_id(), view.mailbox_id(), view.modseq());
    if (!changes) {
        co_return changes.error();
    }
    std::optional<std::vector<storage::Uid>> present;
    if (changes->expunges_forgotten) {
        // Read before the view moves past the forgotten modseq, so a failure loses nothing.
        auto uids = co_await present_uids(s, view.mailbox_id());
        if (!uids) {
            co_return uids.error();
        }
        present = std::move(*uids);
    }
    view.apply(*changes);
    if (present) {
        view.expunge_missing(*present);
    }
    if (view.has_unclaimed()) {
        // New messages: recent to this session if no other one saw them first.
        const auto up_to = view.highest_uid();
        auto above = co_await s.server.store.recent_above_uid(
            s.account_id(), view.mailbox_id(), up_to, true
        );
        if (!above) {
            co_return above.error();
        }
        view.add_recent(*above, up_to);
    }
    view.flush_updates(s.out, allow_expunge, s.condstore, s.qresync);
    co_return Result<void>{};
}

}  // namespace govmail::imap
