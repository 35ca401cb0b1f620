// GETQUOTA, GETQUOTAROOT and SETQUOTA (RFC 9208, RFC 2087): one quota root "" per account
// covering every mailbox, STORAGE in KiB. Limits are set by the administrator, not by IMAP.

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {
namespace {

Awaitable<Result<std::string>> quota_response(Session& s) {
    auto usage = co_await s.server.store.quota_usage(s.account_id());
    if (!usage) {
        co_return usage.error();
    }
    std::string resources;
    if (usage->limit_bytes != 0) {
        resources = "STORAGE " + std::to_string((usage->bytes + 1023) / 1024) + " " +
                    std::to_string(usage->limit_bytes / 1024);
    }
    co_return "QUOTA \"\" (" + resources + ")";
}

}  // namespace

Awaitable<Reply> handle_getquota(Session& s, const GetQuota& c) {
    if (!c.root.empty()) {
        co_return refuse("NONEXISTENT", "No such quota root");
    }
    auto quota = co_await quota_response(s);
    if (!quota) {
        co_return storage_failure(s, quota.error());
    }
    s.untagged(*quota);
    co_return Reply::ok("GETQUOTA completed");
}

Awaitable<Reply> handle_getquotaroot(Session& s, const GetQuotaRoot& c) {
    auto mailbox = co_await s.server.store.find_mailbox(s.account_id(), c.mailbox);
    if (!mailbox) {
        co_return storage_failure(s, mailbox.error());
    }
    auto quota = co_await quota_response(s);
    if (!quota) {
        co_return storage_failure(s, quota.error());
    }
    s.untagged("QUOTAROOT " + format_mailbox_name(c.mailbox) + " \"\"");
    s.untagged(*quota);
    co_return Reply::ok("GETQUOTAROOT completed");
}

Awaitable<Reply> handle_setquota(Session&, const SetQuota&) {
    co_return refuse("NOPERM", "Quotas are set by the administrator");
}

}  // namespace govmail::imap
