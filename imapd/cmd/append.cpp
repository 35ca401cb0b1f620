// APPEND (RFC 3501 section 6.3.11, RFC 4315 APPENDUID, RFC 3516 literal8, RFC 3502 MULTIAPPEND,
// RFC 4469 CATENATE in catenate.cpp). Each message is parsed once here, as at SMTP delivery,
// and stored with its flags and internal date. The messages of one command are stored
// together or not at all, the quota and size limits apply to their sum, and OK follows the
// commit.

#include <algorithm>
#include <chrono>

#include "imapd/cmd/catenate.hpp"
#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"
#include "mime/parse.hpp"

namespace govmail::imap {
namespace {

std::vector<std::string> stored_flags(const AppendMessage& m) {
    std::vector<std::string> flags;
    std::ranges::copy_if(m.flags, std::back_inserter(flags), [](const auto& f) {
        return f != "\\Recent";
    });
    return flags;
}

Awaitable<Result<std::vector<storage::Delivered>>> store_messages(
    Session& s, const std::string& mailbox, std::span<const storage::IncomingMessage> messages
) {
    const storage::DeliveryTarget target{s.account_id(), mailbox};
    if (messages.size() == 1) {
        // One message takes delivery's single-round-trip path.
        co_return co_await s.server.store.deliver(messages.front(), std::span(&target, 1));
    }
    co_return co_await s.server.store.deliver_all(messages, target);
}

}  // namespace

Awaitable<Reply> handle_append(Session& s, const Append& c) {
    const std::uint64_t max_size = s.server.config.imap.max_literal_bytes;
    std::vector<std::string> built;  // the CATENATE messages; raws below point into it
    built.reserve(c.messages.size());
    std::vector<std::string_view> raws;
    std::uint64_t size = 0;
    for (const auto& m : c.messages) {
        if (m.catenate.empty()) {
            raws.emplace_back(m.message);
        } else {
            auto message = co_await catenate(s, m.catenate, max_size);
            if (auto* refusal = std::get_if<Reply>(&message)) {
                co_return std::move(*refusal);
            }
            raws.emplace_back(built.emplace_back(std::move(std::get<std::string>(message))));
        }
        size += raws.back().size();
    }
    if (size > max_size) {
        co_return refuse("TOOBIG", "Messages too big");
    }
    auto quota = co_await s.server.store.quota_usage(s.account_id());
    if (!quota) {
        co_return storage_failure(s, quota.error());
    }
    if (quota->limit_bytes != 0 && quota->bytes + size > quota->limit_bytes) {
        co_return refuse("OVERQUOTA", "Mailbox quota exceeded");
    }
    std::vector<mime::ParsedMessage> parsed;
    parsed.reserve(raws.size());
    std::vector<storage::IncomingMessage> incoming;
    for (std::size_t i = 0; i < raws.size(); ++i) {
        const auto& m = c.messages[i];
        const auto date =
            m.internal_date ? m.internal_date->instant.time_since_epoch().count() : s.server.now();
        incoming.push_back(
            {raws[i], parsed.emplace_back(mime::parse(raws[i])), date, stored_flags(m)}
        );
    }
    auto delivered = co_await store_messages(s, c.mailbox, incoming);
    if (!delivered) {
        co_return storage_failure(s, delivered.error(), MissingMailbox::TryCreate);
    }
    std::vector<std::uint32_t> uids;
    for (const auto& d : *delivered) {
        uids.push_back(d.uid);
    }
    co_return Reply::ok(
        "[APPENDUID " + std::to_string(delivered->front().uidvalidity) + " " +
        format_sequence_set(uids) + "] APPEND completed"
    );
}

}  // namespace govmail::imap
