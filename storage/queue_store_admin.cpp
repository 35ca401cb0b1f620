// The administrator's operations on the outbound queue (storage/queue_store_admin.hpp).

#include "storage/queue_store_admin.hpp"

#include <algorithm>

#include "storage/audited.hpp"
#include "storage/body_cleanup.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/queue_admin.hpp"

namespace govmail::storage {
namespace {

// The messages of kListQueued's rows, in their order.
std::vector<QueuedMessage> read_messages(const PgResult& r) {
    std::vector<QueuedMessage> out;
    for (int row = 0; row < r.rows(); ++row) {
        const auto id = r.int64(row, 0);
        if (out.empty() || out.back().id != id) {
            out.push_back(QueuedMessage{
                id,
                r.int64(row, 1),
                std::string(r.text(row, 2)),
                std::string(r.text(row, 3)),
                r.int64(row, 4),
                r.int64(row, 5),
                r.boolean(row, 6),
                {}});
        }
        if (!r.is_null(row, 7)) {
            out.back().recipients.push_back(QueuedRecipient{
                std::string(r.text(row, 7)), std::string(r.text(row, 8)),
                static_cast<int>(r.int64(row, 9)), r.int64(row, 10),
                r.optional_text(row, 11).value_or("")});
        }
    }
    return out;
}

Params list_params(std::size_t limit, std::optional<QueueId> id) {
    Params params(static_cast<std::int64_t>(limit));
    params.add(id);
    return params;
}

}  // namespace

QueueAdminStore::Task<std::vector<QueuedMessage>> QueueAdminStore::list(std::size_t limit) {
    auto r = co_await run_statement(pool_, sql::kListQueued, list_params(limit, std::nullopt));
    if (!r) {
        co_return r.error();
    }
    co_return read_messages(*r);
}

QueueAdminStore::Task<QueuedMessage> QueueAdminStore::find(QueueId id) {
    auto r = co_await run_statement(pool_, sql::kListQueued, list_params(1, id));
    if (!r) {
        co_return r.error();
    }
    auto messages = read_messages(*r);
    if (messages.empty()) {
        co_return make_error_code(Errc::NotFound);
    }
    co_return std::move(messages.front());
}

QueueAdminStore::Task<QueuedMessage> QueueAdminStore::change(
    QueueId id,
    const std::function<Task<void>(Connection&, const QueuedMessage&)>& apply,
    const QueueAudit& audit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<QueuedMessage> {
        if (auto locked = co_await conn.execute(sql::kLockQueued, Params(id));
            !locked || locked->empty()) {
            co_return locked ? make_error_code(Errc::NotFound) : locked.error();
        }
        auto listed = co_await conn.execute(sql::kListQueued, list_params(1, id));
        if (!listed) {
            co_return listed.error();
        }
        auto message = read_messages(*listed).front();
        if (auto applied = co_await apply(conn, message); !applied) {
            co_return applied.error();
        }
        if (auto appended = co_await append_audit(conn, audit(message)); !appended) {
            co_return appended.error();
        }
        co_return message;
    });
}

QueueAdminStore::Task<QueuedMessage> QueueAdminStore::retry(QueueId id, const QueueAudit& audit) {
    co_return co_await change(
        id,
        [](Connection& conn, const QueuedMessage& message) -> Task<void> {
            if (auto r =
                    co_await conn.execute(sql::kRetryQueued, Params(message.account, message.id));
                !r) {
                co_return r.error();
            }
            if (auto woken = co_await conn.execute(sql::kWakeQueueRunners, Params()); !woken) {
                co_return woken.error();
            }
            co_return Result<void>{};
        },
        audit
    );
}

QueueAdminStore::Task<std::size_t> QueueAdminStore::retry_all(const AuditEntry& audit) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<std::size_t> {
        auto retried = co_await conn.execute(sql::kRetryAllQueued, Params());
        if (!retried) {
            co_return retried.error();
        }
        auto ids = retried->column_text(0);
        std::sort(ids.begin(), ids.end());
        const auto messages =
            static_cast<std::size_t>(std::unique(ids.begin(), ids.end()) - ids.begin());
        if (auto woken = co_await conn.execute(sql::kWakeQueueRunners, Params()); !woken) {
            co_return woken.error();
        }
        if (auto appended = co_await append_audit(conn, audit); !appended) {
            co_return appended.error();
        }
        co_return messages;
    });
}

QueueAdminStore::Task<QueuedMessage> QueueAdminStore::remove(QueueId id, const QueueAudit& audit) {
    co_return co_await change(
        id,
        [](Connection& conn, const QueuedMessage& message) -> Task<void> {
            auto deleted =
                co_await conn.execute(sql::kDeleteQueued, Params(message.account, message.id));
            if (!deleted) {
                co_return deleted.error();
            }
            if (auto freed = co_await delete_unused_bodies(conn, deleted->column_text(0)); !freed) {
                co_return freed.error();
            }
            co_return Result<void>{};
        },
        audit
    );
}

QueueAdminStore::Task<QueuedMessage> QueueAdminStore::set_held(
    QueueId id, bool held, const QueueAudit& audit
) {
    co_return co_await change(
        id,
        [held](Connection& conn, const QueuedMessage& message) -> Task<void> {
            if (auto r = co_await conn.execute(
                    sql::kSetQueuedHeld, Params(message.account, message.id, held)
                );
                !r) {
                co_return r.error();
            }
            if (!held) {
                if (auto woken = co_await conn.execute(sql::kWakeQueueRunners, Params()); !woken) {
                    co_return woken.error();
                }
            }
            co_return Result<void>{};
        },
        audit
    );
}

}  // namespace govmail::storage
