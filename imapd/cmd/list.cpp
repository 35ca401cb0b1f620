// LIST (RFC 3501 section 6.3.8, RFC 5258 selection and return options with RECURSIVEMATCH's
// CHILDINFO, RFC 3348 CHILDREN, RFC 6154 SPECIAL-USE, RFC 5819 STATUS return), the LIST that
// SELECT sends in IMAP4rev2 (RFC 9051 6.3.2) and LSUB (RFC 3501 section 6.3.9). Names
// whose parent does not exist get that parent listed as \Noselect when a pattern matches it.
// The tree holds views of the stored names, not copies; the answer is written in chunks as it
// grows, and the patterns of one command are bounded (imap.max_list_pattern_bytes) and matched
// in one pass over each name.

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include "imapd/cmd/chunked_output.hpp"
#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"
#include "imapd/proto/mailbox_pattern.hpp"

namespace govmail::imap {
namespace {

struct Entry {
    const storage::MailboxInfo* info = nullptr;  // null: only a parent of existing names
    bool has_children = false;
    bool has_subscribed_child = false;  // a subscribed mailbox below it (RECURSIVEMATCH)
};

// INBOX first, then the others in byte order.
struct NameOrder {
    bool operator()(std::string_view a, std::string_view b) const {
        if ((a == "INBOX") != (b == "INBOX")) {
            return a == "INBOX";
        }
        return a < b;
    }
};

// Keys view the names in MAILBOXES, which must outlive the tree.
using Tree = std::map<std::string_view, Entry, NameOrder>;

Tree build_tree(const std::vector<storage::MailboxInfo>& mailboxes) {
    Tree tree;
    for (const auto& mailbox : mailboxes) {
        const std::string_view name = mailbox.name;
        tree[name].info = &mailbox;
        for (auto slash = name.find(kDelimiter); slash != std::string_view::npos;
             slash = name.find(kDelimiter, slash + 1)) {
            auto& parent = tree[name.substr(0, slash)];
            parent.has_children = true;
            parent.has_subscribed_child = parent.has_subscribed_child || mailbox.subscribed;
        }
    }
    return tree;
}

bool matches_any(std::string_view name, const std::vector<MailboxPattern>& patterns) {
    return std::ranges::any_of(patterns, [&](const auto& p) { return p.matches(name); });
}

// The compiled patterns, or nullopt when together they are longer than the limit.
std::optional<std::vector<MailboxPattern>> compile_patterns(
    const Session& s, std::string_view reference, const std::vector<std::string>& patterns
) {
    std::size_t bytes = 0;
    std::vector<std::string> joined;
    for (const auto& p : patterns) {
        bytes += joined.emplace_back(list_pattern(reference, p)).size();
    }
    if (bytes > s.server.config.imap.max_list_pattern_bytes) {
        return std::nullopt;
    }
    std::vector<MailboxPattern> compiled;
    for (const auto& p : joined) {
        compiled.emplace_back(p);
    }
    return compiled;
}

Reply pattern_too_long() { return refuse("LIMIT", "LIST pattern too long"); }

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

// Whether ENTRY satisfies the selection options by itself; with RECURSIVEMATCH, RECURSED says
// whether it is listed (CHILDINFO) for a subscribed mailbox below it instead (RFC 5258 3.5).
bool selected(const Entry& entry, const ListSelection& selection, bool& recursed) {
    recursed = selection.recursive_match && selection.subscribed && entry.has_subscribed_child;
    if (selection.special_use && (entry.info == nullptr || !entry.info->special_use)) {
        return false;
    }
    if (selection.subscribed && (entry.info == nullptr || !entry.info->subscribed)) {
        return recursed;
    }
    return true;
}

std::string list_response(std::string_view name, const Entry& entry, bool with_subscribed) {
    return "LIST " + attributes(entry, with_subscribed) + " \"/\" " + format_mailbox_name(name);
}

}  // namespace

Awaitable<Result<void>> announce_list(Session& s, std::string_view name) {
    auto mailboxes = co_await s.server.store.list_mailboxes(s.account_id());
    if (!mailboxes) {
        co_return mailboxes.error();
    }
    const auto tree = build_tree(*mailboxes);
    if (const auto it = tree.find(name); it != tree.end()) {
        s.untagged(list_response(name, it->second, false));
    }
    co_return Result<void>{};
}

Awaitable<Reply> handle_list(Session& s, const List& c) {
    if (c.patterns.size() == 1 && c.patterns[0].empty()) {
        s.untagged(R"(LIST (\Noselect) "/" "")");
        co_return Reply::ok("LIST completed");
    }
    const auto patterns = compile_patterns(s, c.reference, c.patterns);
    if (!patterns) {
        co_return pattern_too_long();
    }
    auto mailboxes = co_await s.server.store.list_mailboxes(s.account_id());
    if (!mailboxes) {
        co_return storage_failure(s, mailboxes.error());
    }
    const bool with_subscribed = c.selection.subscribed || c.returns.subscribed;
    for (const auto& [name, entry] : build_tree(*mailboxes)) {
        if (!matches_any(name, *patterns)) {
            continue;
        }
        bool recursed = false;
        if (!selected(entry, c.selection, recursed)) {
            continue;
        }
        std::string line = list_response(name, entry, with_subscribed);
        if (recursed) {
            line += R"( ("CHILDINFO" ("SUBSCRIBED")))";
        }
        s.untagged(line);
        if (c.returns.status && entry.info != nullptr) {
            s.untagged(status_response(s, *entry.info, *c.returns.status));
        }
        const bool written = co_await flush_when_full(s);
        if (!written) {
            co_return Reply::none();
        }
    }
    co_return Reply::ok("LIST completed");
}

namespace {

// What LSUB answers, in order: each subscribed name that matches (true), and each
// unsubscribed parent of a subscribed name that matches where the subscribed name does not
// (false, listed \Noselect): with "parent/%", a subscribed "parent/child/grandchild" shows as
// "parent/child" (RFC 3501 6.3.9). Keys view the names in MAILBOXES.
std::map<std::string_view, bool, NameOrder> subscribed_matches(
    const std::vector<storage::MailboxInfo>& mailboxes, const std::vector<MailboxPattern>& patterns
) {
    std::map<std::string_view, bool, NameOrder> found;
    for (const auto& mailbox : mailboxes) {
        if (!mailbox.subscribed) {
            continue;
        }
        const std::string_view name = mailbox.name;
        if (matches_any(name, patterns)) {
            found[name] = true;
            continue;
        }
        for (auto slash = name.find(kDelimiter); slash != std::string_view::npos;
             slash = name.find(kDelimiter, slash + 1)) {
            const auto parent = name.substr(0, slash);
            if (matches_any(parent, patterns)) {
                found.try_emplace(parent, false);
            }
        }
    }
    return found;
}

}  // namespace

Awaitable<Reply> handle_lsub(Session& s, const Lsub& c) {
    const auto patterns = compile_patterns(s, c.reference, {c.pattern});
    if (!patterns) {
        co_return pattern_too_long();
    }
    auto mailboxes = co_await s.server.store.list_mailboxes(s.account_id());
    if (!mailboxes) {
        co_return storage_failure(s, mailboxes.error());
    }
    for (const auto& [name, subscribed] : subscribed_matches(*mailboxes, *patterns)) {
        s.untagged(
            std::string("LSUB ") + (subscribed ? "()" : "(\\Noselect)") + " \"/\" " +
            format_mailbox_name(name)
        );
        const bool written = co_await flush_when_full(s);
        if (!written) {
            co_return Reply::none();
        }
    }
    co_return Reply::ok("LSUB completed");
}

}  // namespace govmail::imap
