#pragma once

// The outbound queue as the administrator sees it (`mailadm queue`, the Postfix mailq /
// postqueue -f / postsuper -d -h -H of govmail): messages by queue id with each recipient's
// state, and the changes an administrator makes to them. Each change is audited in its own
// transaction (storage/audited.hpp). A held message is skipped by the queue runners
// (storage/queue_store.hpp) until released.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/audit_store.hpp"
#include "storage/pg/pool.hpp"
#include "storage/queue_store.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct QueuedRecipient {
    std::string address;
    std::string state;  // pending, sending, delivered, failed
    int attempts = 0;
    std::int64_t next_attempt_at = 0;  // unix seconds
    std::string last_reply;            // "" before the first attempt
};

struct QueuedMessage {
    QueueId id = 0;
    AccountId account = 0;
    std::string account_address;  // the submitting account
    std::string sender;           // "" for the null sender
    std::int64_t queued_at = 0;   // unix seconds
    std::int64_t size = 0;        // bytes
    bool held = false;
    std::vector<QueuedRecipient> recipients;
};

// What a change is audited as, once the message it changes is known.
using QueueAudit = std::function<AuditEntry(const QueuedMessage&)>;

class QueueAdminStore {
public:
    explicit QueueAdminStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // The first LIMIT messages, longest queued first.
    Task<std::vector<QueuedMessage>> list(std::size_t limit);
    // NotFound when no message has ID.
    Task<QueuedMessage> find(QueueId id);

    // Makes the message's waiting recipients due now and wakes the runners (postqueue -i).
    // Returns the message as it was; NotFound when there is none.
    Task<QueuedMessage> retry(QueueId id, const QueueAudit& audit);
    // The same for every message not held (postqueue -f); returns how many messages.
    Task<std::size_t> retry_all(const AuditEntry& audit);
    // Removes the message and its recipients (postsuper -d); nothing more is sent.
    Task<QueuedMessage> remove(QueueId id, const QueueAudit& audit);
    // Holds the message (postsuper -h) or releases it (postsuper -H, waking the runners).
    Task<QueuedMessage> set_held(QueueId id, bool held, const QueueAudit& audit);

private:
    // Runs APPLY on the locked message ID and appends AUDIT of it, in one transaction.
    Task<QueuedMessage> change(
        QueueId id,
        const std::function<Task<void>(Connection&, const QueuedMessage&)>& apply,
        const QueueAudit& audit
    );

    Pool& pool_;
};

}  // namespace govmail::storage
