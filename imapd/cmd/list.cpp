// LIST (RFC 3501 section 6.3.8, RFC 5258 selection and return options, RFC 3348 CHILDREN,
// RFC 6154 SPECIAL-USE, RFC 5819 STATUS return) and LSUB (RFC 3501 section 6.3.9). Names
// whose parent does not exist get that parent listed as \Noselect when a pattern matches it.

#include <algorithm>
#include <map>

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"
#include "imapd/cmd/mailbox_pattern.hpp"

namespace govmail::imap {
namespace {

struct Entry {
    const storage::MailboxInfo* info = nullptr;  // null: only a parent of existing names
    bool has_children = false;
};

// INBOX first, then the others in byte order.
struct NameOrder {
    bool operator()(const std::string& a, const std::string& b) const {
        if ((a == "INBOX") != (b == "INBOX")) {
            return a == "INBOX";
        }
        return a < b;
    }
};

using Tree = std::map<std::string, Entry, NameOrder>;

Tree build_tree(const std::vector<storage::MailboxInfo>& mailboxes) {
    Tree tree;
    for (const auto& mailbox : mailboxes) {
        tree[mailbox.name].info = &mailbox;
        for (auto slash = mailbox.name.find(kDelimiter); slash != std::string::npos;
             slash = mailbox.name.find(kDelimiter, slash + 1)) {
            tree[mailbox.name.substr(0, slash)].has_children = true;
        }
    }
    return tree;
}

bool matches_any(const std::string& name, const std::vector<std::string>& patterns) {
    return std::ranges::any_of(patterns, [&](const auto& p) { return matches_pattern(name, p); });
}

std::string attributes(const Entry& entry, bool with_subscribed) {
    std::vector<std::string> attrs;
    if (entry.info == nullptr) {
        attrs.emplace_back("\\Noselect");
    }
    attrs.emplace_back(entry.has_children ? "\\HasChildren" : "\\HasNoChildren");
    if (entry.info != nullptr && entry.info->special_use) {
        attrs.push_back(*entry.info->special_use);
    }
    if (with_subscribed && entry.info != nullptr && entry.info->subscribed) {
        attrs.emplace_back("\\Subscribed");
    }
    return format_flag_list(attrs);
}

}  // namespace

Awaitable<Reply> handle_list(Session& s, const List& c) {
    if (c.patterns.size() == 1 && c.patterns[0].empty()) {
        s.untagged(R"(LIST (\Noselect) "/" "")");
        co_return Reply::ok("LIST completed");
    }
    auto mailboxes = co_await s.server.store.list_mailboxes(s.account_id());
    if (!mailboxes) {
        co_return storage_failure(s, mailboxes.error());
    }
    std::vector<std::string> patterns;
    for (const auto& p : c.patterns) {
        patterns.push_back(list_pattern(c.reference, p));
    }
    const bool with_subscribed = c.selection.subscribed || c.returns.subscribed;
    for (const auto& [name, entry] : build_tree(*mailboxes)) {
        if (!matches_any(name, patterns)) {
            continue;
        }
        if ((c.selection.subscribed || c.selection.special_use) && entry.info == nullptr) {
            continue;
        }
        if (c.selection.subscribed && !entry.info->subscribed) {
            continue;
        }
        if (c.selection.special_use && !entry.info->special_use) {
            continue;
        }
        s.untagged(
            "LIST " + attributes(entry, with_subscribed) + " \"/\" " + format_mailbox_name(name)
        );
        if (c.returns.status && entry.info != nullptr) {
            s.untagged(status_response(*entry.info, *c.returns.status));
        }
    }
    co_return Reply::ok("LIST completed");
}

Awaitable<Reply> handle_lsub(Session& s, const Lsub& c) {
    auto mailboxes = co_await s.server.store.list_mailboxes(s.account_id());
    if (!mailboxes) {
        co_return storage_failure(s, mailboxes.error());
    }
    const auto pattern = list_pattern(c.reference, c.pattern);
    for (const auto& [name, entry] : build_tree(*mailboxes)) {
        if (entry.info != nullptr && entry.info->subscribed && matches_pattern(name, pattern)) {
            s.untagged("LSUB () \"/\" " + format_mailbox_name(name));
        }
    }
    co_return Reply::ok("LSUB completed");
}

}  // namespace govmail::imap
