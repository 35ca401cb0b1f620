// GETMETADATA and SETMETADATA (RFC 5464, server and mailbox entries) and the /private/specialuse
// entry of RFC 6154 section 4, which shows a mailbox's special use and is set only by CREATE
// ... (USE ...). Untrusted input bounds what is stored: imap.max_metadata_value_bytes a
// value (NO [METADATA MAXSIZE n]) and imap.max_metadata_entries an account (NO [METADATA
// TOOMANY]), all mailboxes together; entries of a mailbox go with it.

#include <algorithm>
#include <map>

#include "common/imap_string.hpp"
#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::imap {
namespace {

constexpr std::string_view kSpecialUseEntry = "/private/specialuse";

// The mailbox the command names, nullopt for the server (""), or the refusal.
Awaitable<Result<std::optional<storage::MailboxInfo>>> find_target(
    Session& s, const std::string& mailbox
) {
    if (mailbox.empty()) {
        co_return std::optional<storage::MailboxInfo>{};
    }
    auto found = co_await s.server.store.find_mailbox(s.account_id(), mailbox);
    if (!found) {
        co_return found.error();
    }
    co_return std::optional(std::move(*found));
}

std::optional<storage::MailboxId> id_of(const std::optional<storage::MailboxInfo>& mailbox) {
    return mailbox ? std::optional(mailbox->id) : std::nullopt;
}

// Whether entry NAME is asked for by REQUESTED at DEPTH (RFC 5464 4.2.2).
bool wanted(std::string_view name, std::string_view requested, MetadataDepth depth) {
    if (name == requested) {
        return true;
    }
    if (depth == MetadataDepth::Exact || !name.starts_with(requested) ||
        name.size() <= requested.size() || name[requested.size()] != '/') {
        return false;
    }
    return depth == MetadataDepth::All ||
           name.find('/', requested.size() + 1) == std::string_view::npos;
}

}  // namespace

Awaitable<Reply> handle_getmetadata(Session& s, const GetMetadata& c) {
    auto target = co_await find_target(s, c.mailbox);
    if (!target) {
        co_return storage_failure(s, target.error());
    }
    auto stored = co_await s.server.store.metadata(s.account_id(), id_of(*target));
    if (!stored) {
        co_return storage_failure(s, stored.error());
    }
    std::map<std::string_view, std::string_view> entries(stored->begin(), stored->end());
    if (*target && (*target)->special_use) {
        entries.emplace(kSpecialUseEntry, *(*target)->special_use);
    }
    std::string values;
    std::size_t longest_left_out = 0;
    for (const auto& [name, value] : entries) {
        const auto entry_name = name;  // a lambda may not capture a structured binding (C++17)
        const bool asked = std::ranges::any_of(c.entries, [&](const auto& requested) {
            return wanted(entry_name, requested, c.depth);
        });
        if (!asked) {
            continue;
        }
        if (c.max_size && value.size() > *c.max_size) {
            longest_left_out = std::max(longest_left_out, value.size());
            continue;
        }
        values += (values.empty() ? "" : " ") + std::string(name) + " " + imap_string(value);
    }
    if (!values.empty()) {
        const auto mailbox = c.mailbox.empty() ? "\"\"" : format_mailbox_name(c.mailbox);
        s.untagged("METADATA " + mailbox + " (" + values + ")");
    }
    if (longest_left_out > 0) {
        co_return Reply::ok(
            "[METADATA LONGENTRIES " + std::to_string(longest_left_out) + "] GETMETADATA completed"
        );
    }
    co_return Reply::ok("GETMETADATA completed");
}

Awaitable<Reply> handle_setmetadata(Session& s, const SetMetadata& c) {
    const auto& limits = s.server.config.imap;
    std::vector<std::pair<std::string, std::optional<std::string>>> entries;
    for (const auto& entry : c.entries) {
        if (entry.name == kSpecialUseEntry) {
            co_return refuse("CANNOT", "/private/specialuse is set by CREATE ... (USE ...)");
        }
        if (entry.value && entry.value->size() > limits.max_metadata_value_bytes) {
            co_return refuse(
                "METADATA MAXSIZE " + std::to_string(limits.max_metadata_value_bytes),
                "Metadata value too long"
            );
        }
        entries.emplace_back(entry.name, entry.value);
    }
    auto target = co_await find_target(s, c.mailbox);
    if (!target) {
        co_return storage_failure(s, target.error());
    }
    auto set = co_await s.server.store.set_metadata(
        s.account_id(), id_of(*target), entries, limits.max_metadata_entries
    );
    if (!set) {
        co_return set.error() == make_error_code(storage::Errc::Limit)
            ? refuse("METADATA TOOMANY", "Too many metadata entries")
            : storage_failure(s, set.error());
    }
    co_return Reply::ok("SETMETADATA completed");
}

}  // namespace govmail::imap
