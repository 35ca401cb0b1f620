// EXPUNGE (RFC 3501 section 6.4.3) and UID EXPUNGE (RFC 4315). The EXPUNGE responses come
// from the catch-up after the command, which also reports removals by other sessions.

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {

Awaitable<Reply> handle_expunge(Session& s, const Expunge& c) {
    auto& view = *s.selected;
    std::optional<storage::UidRanges> ranges;
    if (c.uids) {
        const auto msns = view.resolve(*c.uids, true);
        if (!msns) {
            co_return Reply::bad("Invalid UID set");
        }
        if (msns->empty()) {
            co_return Reply::ok("UID EXPUNGE completed");
        }
        ranges = view.uid_ranges(*msns);
    }
    auto removed = co_await s.server.store.expunge(s.account_id(), view.mailbox_id(), ranges);
    if (!removed) {
        co_return storage_failure(s, removed.error());
    }
    view.mark_expunged(*removed);
    co_return Reply::ok(c.uids ? "UID EXPUNGE completed" : "EXPUNGE completed");
}

}  // namespace govmail::imap
