// COPY (RFC 3501 section 6.4.7), MOVE (RFC 6851) and their UID forms, with COPYUID
// (RFC 4315). MOVE is one transaction; its EXPUNGE responses follow the untagged COPYUID.

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {
namespace {

std::string copyuid(const storage::CopyResult& result) {
    std::vector<std::uint32_t> from;
    std::vector<std::uint32_t> to;
    for (const auto& m : result.copied) {
        from.push_back(m.source_uid);
        to.push_back(m.new_uid);
    }
    // Both sets in source order: format_sequence_set sorts, and new UIDs ascend with the
    // source UIDs, so the pairs stay matched.
    return "[COPYUID " + std::to_string(result.destination_uidvalidity) + " " +
           format_sequence_set(from) + " " + format_sequence_set(to) + "]";
}

template <class Request>
Awaitable<Reply> transfer(Session& s, const Request& c, bool move) {
    auto& view = *s.selected;
    auto msns = view.resolve(c.set, c.uid);
    if (!msns) {
        co_return Reply::bad("Invalid message sequence number");
    }
    std::erase_if(*msns, [&](auto msn) { return view.at(msn).expunged; });
    const std::string name = move ? "MOVE" : "COPY";
    const std::string done = (c.uid ? "UID " : "") + name + " completed";
    auto& store = s.server.store;
    auto target = co_await store.find_mailbox(s.account_id(), c.mailbox);
    if (!target) {
        co_return storage_failure(s, target.error(), MissingMailbox::TryCreate);
    }
    if (msns->empty()) {
        co_return Reply::ok(done);
    }
    const auto ranges = view.uid_ranges(*msns);
    // Into or out of \Junk: rspamd learns spam or ham later (storage/learn_queue_store.hpp).
    const auto learning =
        s.server.config.filter.enabled ? storage::Learning::FromJunkMoves : storage::Learning::Off;
    Result<storage::CopyResult> result;
    if (move) {
        result =
            co_await store.move(s.account_id(), view.mailbox_id(), ranges, target->id, learning);
    } else {
        result =
            co_await store.copy(s.account_id(), view.mailbox_id(), ranges, target->id, learning);
    }
    if (!result) {
        co_return storage_failure(s, result.error(), MissingMailbox::TryCreate);
    }
    if (result->copied.empty()) {
        co_return Reply::ok(done);
    }
    if (!move) {
        co_return Reply::ok(copyuid(*result) + " " + done);
    }
    s.untagged("OK " + copyuid(*result) + " Moved");
    std::vector<storage::Uid> moved;
    for (const auto& m : result->copied) {
        moved.push_back(m.source_uid);
    }
    view.mark_expunged(moved);
    co_return Reply::ok(done);
}

}  // namespace

Awaitable<Reply> handle_copy(Session& s, const Copy& c) { return transfer(s, c, false); }

Awaitable<Reply> handle_move(Session& s, const Move& c) { return transfer(s, c, true); }

}  // namespace govmail::imap
