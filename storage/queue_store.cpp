// The outbound queue's storage side. Claims are leases: a recipient marked sending whose
// runner died becomes due again when next_attempt_at (the lease end) passes.

#include "storage/queue_store.hpp"

#include "storage/body_cleanup.hpp"
#include "storage/pg/notification_listener.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/outbound.hpp"

namespace govmail::storage {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

std::string_view state_name(RecipientState state) {
    switch (state) {
        case RecipientState::Delivered:
            return "delivered";
        case RecipientState::Failed:
            return "failed";
        case RecipientState::Pending:
            break;
    }
    return "pending";
}

std::optional<ClaimedMessage> read_claim(const PgResult& r) {
    if (r.empty()) {
        return std::nullopt;
    }
    ClaimedMessage m;
    m.account = r.int64(0, 0);
    m.queue_id = r.int64(0, 1);
    m.sender = r.text(0, 6);
    m.body_id = r.text(0, 7);
    m.envid = r.text(0, 8);
    m.return_full = r.boolean(0, 9);
    m.queued_at = r.int64(0, 10);
    for (int row = 0; row < r.rows(); ++row) {
        m.recipients.push_back(ClaimedRecipient{
            std::string(r.text(row, 2)), std::string(r.text(row, 3)), std::string(r.text(row, 4)),
            static_cast<int>(r.int64(row, 5))});
    }
    return m;
}

}  // namespace

QueueStore::Task<std::optional<ClaimedMessage>> QueueStore::claim_next(std::chrono::seconds lease) {
    auto r = co_await run_statement(pool_, sql::kClaimDueRecipients, Params(lease.count()));
    if (!r) {
        co_return r.error();
    }
    co_return read_claim(*r);
}

QueueStore::Task<void> QueueStore::record(
    const ClaimedMessage& message, std::span<const AttemptResult> results
) {
    std::vector<std::string> recipients;
    std::vector<std::string> attempts;
    std::vector<std::string> states;
    std::vector<std::string> retry_after;
    std::vector<std::string> replies;
    for (const auto& result : results) {
        recipients.push_back(result.address);
        attempts.push_back(std::to_string(result.attempt));
        states.emplace_back(state_name(result.state));
        retry_after.push_back(std::to_string(result.retry_after.count()));
        replies.push_back(result.reply);
    }
    const Params update(
        message.account, message.queue_id, recipients, attempts, states, retry_after, replies
    );
    const Params entry(message.account, message.queue_id);
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<void> {
        const auto updated = co_await conn.execute(sql::kRecordAttempts, update);
        if (!updated) {
            co_return updated.error();
        }
        const auto deleted = co_await conn.execute(sql::kDeleteFinishedEntry, entry);
        if (!deleted) {
            co_return deleted.error();
        }
        if (auto freed = co_await delete_unused_bodies(conn, deleted->column_text(0)); !freed) {
            co_return freed.error();
        }
        co_return Result<void>{};
    });
}

awaitable<void> listen_for_queued_mail(Pool& pool, std::function<void()> on_queued) {
    // After a (re)connection: whatever was queued while we were not listening.
    co_await listen_channel(
        pool, kOutboundChannel, [on_queued](std::string_view) { on_queued(); }, on_queued
    );
}

}  // namespace govmail::storage
