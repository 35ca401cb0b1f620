// APPEND (RFC 3501 section 6.3.11, RFC 4315 APPENDUID, RFC 3502 several messages). Each
// message is parsed once here, as at SMTP delivery, and stored with its flags and internal
// date; OK follows the commit.

#include <algorithm>
#include <chrono>

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"
#include "mime/parse.hpp"

namespace govmail::imap {

Awaitable<Reply> handle_append(Session& s, const Append& c) {
    auto& store = s.server.store;
    auto quota = co_await store.quota_usage(s.account_id());
    if (!quota) {
        co_return storage_failure(s, quota.error());
    }
    std::uint64_t size = 0;
    for (const auto& m : c.messages) {
        size += m.message.size();
    }
    if (quota->limit_bytes != 0 && quota->bytes + size > quota->limit_bytes) {
        co_return refuse("OVERQUOTA", "Mailbox quota exceeded");
    }
    std::vector<std::uint32_t> uids;
    std::uint32_t uidvalidity = 0;
    for (const auto& m : c.messages) {
        const auto parsed = mime::parse(m.message);
        std::vector<std::string> flags;
        std::ranges::copy_if(m.flags, std::back_inserter(flags), [](const auto& f) {
            return f != "\\Recent";
        });
        const auto date =
            m.internal_date ? m.internal_date->instant.time_since_epoch().count() : s.server.now();
        const storage::IncomingMessage incoming{m.message, parsed, date, std::move(flags)};
        const storage::DeliveryTarget target{s.account_id(), c.mailbox};
        auto delivered = co_await store.deliver(incoming, std::span(&target, 1));
        if (!delivered) {
            co_return storage_failure(s, delivered.error(), MissingMailbox::TryCreate);
        }
        uidvalidity = delivered->front().uidvalidity;
        uids.push_back(delivered->front().uid);
    }
    co_return Reply::ok(
        "[APPENDUID " + std::to_string(uidvalidity) + " " + format_sequence_set(uids) +
        "] APPEND completed"
    );
}

}  // namespace govmail::imap
