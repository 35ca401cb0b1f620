// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE and STATUS (RFC 3501 sections 6.3.3-6.3.10,
// RFC 6154 CREATE-SPECIAL-USE, RFC 8438 STATUS=SIZE). "/" separates levels; CREATE makes missing
// parents. Names arrive canonical (imapd/proto/mailbox_name.hpp); the names CREATE and RENAME make,
// children of a renamed mailbox included, are also held to the configured length and depth, and the
// store holds an account to its number of mailboxes.

#include <algorithm>
#include <array>
#include <optional>
#include <variant>

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"
#include "imapd/proto/mailbox_name.hpp"
#include "imapd/proto/tokenizer.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::imap {
namespace {

constexpr std::array<std::string_view, 5> kSpecialUses{
    "\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash"};

// The attribute as storage spells it ("\archive" is "\Archive"), or nullopt for one not offered.
std::optional<std::string_view> known_special_use(std::string_view flag) {
    const auto it =
        std::ranges::find_if(kSpecialUses, [&](auto known) { return iequals(known, flag); });
    return it == kSpecialUses.end() ? std::nullopt : std::optional(*it);
}

MailboxNameLimits name_limits(const Session& s) {
    const auto& imap = s.server.config.imap;
    return MailboxNameLimits{imap.max_mailbox_name_bytes, imap.max_mailbox_levels};
}

// The refusal for a new mailbox NAME, or nullopt when it may be made.
std::optional<Reply> refuse_new_name(const Session& s, std::string_view name) {
    if (name == "INBOX") {
        return refuse("ALREADYEXISTS", "INBOX always exists");
    }
    const auto canonical = canonical_mailbox_name(name, name_limits(s));
    if (const auto* fault = std::get_if<MailboxNameFault>(&canonical)) {
        const bool limit =
            *fault == MailboxNameFault::TooLong || *fault == MailboxNameFault::TooDeep;
        return refuse(limit ? "LIMIT" : "CANNOT", describe(*fault));
    }
    return std::nullopt;
}

}  // namespace

std::string status_response(
    const Session& s, const storage::MailboxInfo& mailbox, const std::vector<StatusItem>& items
) {
    const auto counts = mailbox.counts.value();  // the callers read a mailbox with its counts
    std::string values;
    auto add = [&](std::string_view name, std::uint64_t value) {
        values += (values.empty() ? "" : " ") + std::string(name) + " " + std::to_string(value);
    };
    for (const auto item : items) {
        switch (item) {
            case StatusItem::Messages:
                add("MESSAGES", counts.messages);
                break;
            case StatusItem::Recent:
                if (!s.imap4rev2) {
                    add("RECENT", counts.recent);
                }
                break;
            case StatusItem::UidNext:
                add("UIDNEXT", mailbox.uidnext);
                break;
            case StatusItem::UidValidity:
                add("UIDVALIDITY", mailbox.uidvalidity);
                break;
            case StatusItem::Unseen:
                add("UNSEEN", counts.unseen);
                break;
            case StatusItem::HighestModSeq:
                add("HIGHESTMODSEQ", mailbox.highest_modseq);
                break;
            case StatusItem::Size:
                add("SIZE", counts.size);
                break;
        }
    }
    return "STATUS " + format_mailbox_name(mailbox.name) + " (" + values + ")";
}

Awaitable<Reply> handle_create(Session& s, const Create& c) {
    const std::string& name = c.mailbox;
    if (auto refusal = refuse_new_name(s, name)) {
        co_return std::move(*refusal);
    }
    std::string special_use;
    if (!c.special_use.empty()) {
        const auto known = known_special_use(c.special_use[0]);
        if (c.special_use.size() > 1 || !known) {
            co_return refuse("USEATTR", "Unsupported special-use attribute");
        }
        special_use = *known;
    }
    auto& store = s.server.store;
    const auto max_mailboxes = s.server.config.imap.max_mailboxes;
    for (auto slash = name.find(kDelimiter); slash != std::string::npos;
         slash = name.find(kDelimiter, slash + 1)) {
        auto parent =
            co_await store.create_mailbox(s.account_id(), name.substr(0, slash), max_mailboxes);
        if (!parent && parent.error() != storage::Errc::Exists) {
            co_return storage_failure(s, parent.error());
        }
    }
    auto created = co_await store.create_mailbox(s.account_id(), name, max_mailboxes, special_use);
    if (!created) {
        co_return storage_failure(s, created.error());
    }
    co_return Reply::ok("CREATE completed");
}

Awaitable<Reply> handle_delete(Session& s, const Delete& c) {
    if (c.mailbox == "INBOX") {
        co_return refuse("CANNOT", "INBOX cannot be deleted");
    }
    auto deleted = co_await s.server.store.delete_mailbox(s.account_id(), c.mailbox);
    if (!deleted) {
        co_return storage_failure(s, deleted.error());
    }
    co_return Reply::ok("DELETE completed");
}

Awaitable<Reply> handle_rename(Session& s, const Rename& c) {
    if (auto refusal = refuse_new_name(s, c.to)) {
        co_return std::move(*refusal);
    }
    auto& store = s.server.store;
    if (auto from = co_await store.find_mailbox(s.account_id(), c.from); !from) {
        co_return storage_failure(s, from.error());
    }
    auto children = co_await store.child_mailbox_names(s.account_id(), c.from);
    if (!children) {
        co_return storage_failure(s, children.error());
    }
    for (const auto& child : *children) {
        if (auto refusal = refuse_new_name(s, c.to + child.substr(c.from.size()))) {
            co_return std::move(*refusal);
        }
    }
    auto renamed = co_await store.rename_mailbox(
        s.account_id(), c.from, c.to, s.server.config.imap.max_mailboxes
    );
    if (!renamed) {
        co_return storage_failure(s, renamed.error());
    }
    co_return Reply::ok("RENAME completed");
}

Awaitable<Reply> handle_subscribe(Session& s, const Subscribe& c) {
    auto& store = s.server.store;
    if (auto mailbox = co_await store.find_mailbox(s.account_id(), c.mailbox); !mailbox) {
        co_return storage_failure(s, mailbox.error());
    }
    auto done = co_await store.set_subscribed(s.account_id(), c.mailbox, true);
    if (!done) {
        co_return storage_failure(s, done.error());
    }
    co_return Reply::ok("SUBSCRIBE completed");
}

Awaitable<Reply> handle_unsubscribe(Session& s, const Unsubscribe& c) {
    auto done = co_await s.server.store.set_subscribed(s.account_id(), c.mailbox, false);
    if (!done) {
        co_return storage_failure(s, done.error());
    }
    co_return Reply::ok("UNSUBSCRIBE completed");
}

Awaitable<Reply> handle_status(Session& s, const Status& c) {
    auto mailbox = co_await s.server.store.mailbox_status(s.account_id(), c.mailbox);
    if (!mailbox) {
        co_return storage_failure(s, mailbox.error());
    }
    s.untagged(status_response(s, *mailbox, c.items));
    co_return Reply::ok("STATUS completed");
}

}  // namespace govmail::imap
