// STORE and UID STORE (RFC 3501 section 6.4.6, RFC 7162 UNCHANGEDSINCE and MODIFIED). OK
// follows the commit; the FETCH responses carry the flags as stored.

#include <algorithm>
#include <set>

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {
namespace {

storage::FlagChange flag_change(StoreMode mode) {
    switch (mode) {
        case StoreMode::Add:
            return storage::FlagChange::Add;
        case StoreMode::Remove:
            return storage::FlagChange::Remove;
        case StoreMode::Replace:
            break;
    }
    return storage::FlagChange::Replace;
}

}  // namespace

Awaitable<Reply> handle_store(Session& s, const Store& c) {
    auto& view = *s.selected;
    auto msns = view.resolve(c.set, c.uid);
    if (!msns) {
        co_return Reply::bad("Invalid message sequence number");
    }
    std::erase_if(*msns, [&](auto msn) { return view.at(msn).expunged; });
    if (c.unchanged_since) {
        s.condstore = true;
    }
    const char* done = c.uid ? "UID STORE completed" : "STORE completed";
    if (msns->empty()) {
        co_return Reply::ok(done);
    }
    std::vector<std::string> flags;
    std::ranges::copy_if(c.flags, std::back_inserter(flags), [](const auto& f) {
        return f != "\\Recent";
    });
    auto changed = co_await s.server.store.store_flags(
        s.account_id(), view.mailbox_id(), view.uid_ranges(*msns), flag_change(c.mode), flags,
        c.unchanged_since
    );
    if (!changed) {
        co_return storage_failure(s, changed.error());
    }
    std::set<storage::Uid> changed_uids;
    for (const auto& state : *changed) {
        view.apply_own(state);
        changed_uids.insert(state.uid);
    }
    view.flush_flags(s.out);
    std::vector<std::uint32_t> modified;
    for (const auto msn : *msns) {
        const auto& m = view.at(msn);
        if (c.unchanged_since && !changed_uids.contains(m.uid) && m.modseq > *c.unchanged_since) {
            modified.push_back(c.uid ? m.uid : msn);
            continue;
        }
        if (c.silent) {
            continue;
        }
        std::string line = std::to_string(msn) + " FETCH (";
        if (c.uid) {
            line += "UID " + std::to_string(m.uid) + " ";
        }
        line += fetch_flags_item(m);
        if (s.condstore) {
            line += " MODSEQ (" + std::to_string(m.modseq) + ")";
        }
        s.untagged(line + ")");
    }
    if (!modified.empty()) {
        co_return Reply::ok(
            "[MODIFIED " + format_sequence_set(modified) + "] Conditional STORE failed"
        );
    }
    co_return Reply::ok(done);
}

}  // namespace govmail::imap
