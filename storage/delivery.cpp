// Delivery and APPEND into the Mailstore: the body stored once by content, the append to every
// target mailbox, the outbound queue entry for remote recipients and the targets' away
// replies, in one transaction. The common case (local targets, no reply due) is one round trip:
// BEGIN, body, append and COMMIT pipelined, with the lost-COMMIT check of storage/pg/commit.hpp.

#include "common/hex.hpp"
#include "common/sha256.hpp"
#include "common/unix_time.hpp"
#include "storage/autoreply_store.hpp"
#include "storage/body_cleanup.hpp"
#include "storage/mailstore.hpp"
#include "storage/mailstore_rows.hpp"
#include "storage/pg/commit.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/sql/transactions.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/accounts.hpp"
#include "storage/sql/junk_mailboxes.hpp"
#include "storage/sql/messages.hpp"
#include "storage/sql/queue.hpp"

namespace govmail::storage {
namespace {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

Task<void> enqueue(
    Connection& conn, const std::string& body_hash, const OutboundEnvelope& envelope
) {
    auto queued = co_await conn.execute(
        sql::kInsertOutbound, Params(
                                  envelope.account, envelope.sender, Binary{body_hash},
                                  envelope.envid, envelope.return_full
                              )
    );
    if (!queued) {
        co_return queued.error();
    }
    std::vector<std::string> recipients;
    std::vector<std::string> orcpts;
    std::vector<std::string> notifies;
    for (const auto& r : envelope.recipients) {
        recipients.push_back(r.address);
        orcpts.push_back(r.orcpt);
        notifies.push_back(r.notify);
    }
    auto added = co_await conn.execute(
        sql::kInsertOutboundRecipients,
        Params(envelope.account, queued->int64(0, 0), recipients, orcpts, notifies)
    );
    if (!added) {
        co_return added.error();
    }
    co_return Result<void>{};
}

// The parameters of the two statements every delivery runs: the body (stored once per
// content) and its append to every target (see sql::kAppendToTargets; WITHOUT_AWAY_REPLY
// appends nothing when a target would answer).
struct DeliveryStatements {
    DeliveryStatements(
        const IncomingMessage& message,
        std::span<const DeliveryTarget> targets,
        bool without_away_reply
    )
        : hash(sha256(message.raw)), body(Binary{hash}, message.raw.size(), Binary{message.raw}) {
        std::vector<std::string> accounts;
        std::vector<std::string> mailboxes;
        for (const auto& target : targets) {
            accounts.push_back(std::to_string(target.account));
            mailboxes.push_back(target.mailbox);
        }
        const auto& parsed = message.parsed;
        body.add(parsed.envelope)
            .add(parsed.body_structure)
            .add(parsed.body)
            .add(mime::serialize_parts(parsed.parts))
            .add(parsed.header_text)
            .add(parsed.search_text)
            .add(parsed.date_unix);
        lock_targets.add(accounts).add(mailboxes);
        append.add(accounts)
            .add(mailboxes)
            .add(Binary{hash})
            .add(message.raw.size())
            .add(message.flags)
            .add(message.internal_date)
            .add(without_away_reply);
    }

    std::string hash;
    Params lock_targets;
    Params body;
    Params append;
};

std::vector<Delivered> read_delivered(const PgResult& appended) {
    std::vector<Delivered> out;
    for (int row = 0; row < appended.rows(); ++row) {
        out.push_back(Delivered{
            appended.int64(row, 0), appended.int64(row, 1),
            static_cast<Uid>(appended.int64(row, 2)), static_cast<ModSeq>(appended.int64(row, 3)),
            static_cast<std::uint32_t>(appended.int64(row, 4))});
    }
    return out;
}

Task<std::vector<Delivered>> deliver_in(
    Connection& conn,
    const IncomingMessage& message,
    std::span<const DeliveryTarget> targets,
    std::span<const OutboundEnvelope> outbound
) {
    const DeliveryStatements statements(message, targets, false);
    if (auto r = co_await conn.execute(sql::kLockTargetMailboxes, statements.lock_targets); !r) {
        co_return r.error();
    }
    if (auto r = co_await conn.execute(sql::kInsertBody, statements.body); !r) {
        co_return r.error();
    }
    auto appended = co_await conn.execute(sql::kAppendToTargets, statements.append);
    if (!appended) {
        co_return appended.error();
    }
    if (static_cast<std::size_t>(appended->rows()) != targets.size()) {
        co_return make_error_code(Errc::NotFound);  // a target mailbox does not exist
    }
    for (const auto& envelope : outbound) {
        if (auto queued = co_await enqueue(conn, statements.hash, envelope); !queued) {
            co_return queued.error();
        }
    }
    co_return read_delivered(*appended);
}

// Whether the messages APPENDED (the append step's rows) are there with body HASH.
Task<TransactionEnd> delivery_present(
    Connection& conn, const std::string& hash, const PgResult& appended
) {
    std::vector<std::int64_t> accounts;
    std::vector<std::int64_t> mailboxes;
    std::vector<std::int64_t> uids;
    for (int row = 0; row < appended.rows(); ++row) {
        accounts.push_back(appended.int64(row, 0));
        mailboxes.push_back(appended.int64(row, 1));
        uids.push_back(appended.int64(row, 2));
    }
    auto counted = co_await conn.execute(
        sql::kCountDelivered, Params(accounts, mailboxes, uids, Binary{hash})
    );
    if (!counted) {
        co_return counted.error();
    }
    co_return counted->int64(0, 0) == appended.rows() ? TransactionEnd::Committed
                                                      : TransactionEnd::Aborted;
}

// The common delivery (local targets only, no away reply due) as one round trip: BEGIN, the
// body, the append and COMMIT in one pipeline (commit_in_flight). Returns no deliveries when it
// appended nothing (an away reply is due or a target mailbox is missing) or lost a deadlock or
// serialization race; then the general delivery must run, which the body already stored does not
// disturb.
Task<std::vector<Delivered>> deliver_in_one_flight(
    Pool& pool,
    const IncomingMessage& message,
    std::span<const DeliveryTarget> targets,
    bool without_away_reply
) {
    auto conn = co_await pool.acquire();
    if (!conn) {
        co_return conn.error();
    }
    const DeliveryStatements statements(message, targets, without_away_reply);
    const Params none;
    const std::array<PipelineStep, 4> steps{
        PipelineStep{sql::kBegin, none},
        PipelineStep{sql::kLockTargetMailboxes, statements.lock_targets},
        PipelineStep{sql::kInsertBody, statements.body},
        PipelineStep{sql::kAppendToTargets, statements.append}};
    auto results = co_await commit_in_flight(
        pool, **conn, steps,
        [&statements](Connection& asking, const std::vector<PgResult>& done) {
            return delivery_present(asking, statements.hash, done[3]);
        }
    );
    if (!results) {
        if ((*conn)->broken()) {
            co_return results.error();
        }
        // The failed step left the transaction aborted, holding what it locked: end it now.
        if (auto rolled_back = co_await (*conn)->execute_script("ROLLBACK"); !rolled_back) {
            co_return rolled_back.error();
        }
        if (results.error() != make_error_code(Errc::Temp)) {
            co_return results.error();
        }
        co_return std::vector<Delivered>{};
    }
    const auto& appended = (*results)[3];
    if (static_cast<std::size_t>(appended.rows()) != targets.size()) {
        co_return std::vector<Delivered>{};
    }
    co_return read_delivered(appended);
}

// Stores REPLY from ACCOUNT to the sender of the message being delivered: into the sender's
// INBOX when the sender is local (nothing when no such account), else into the queue with
// the null sender (RFC 3834 3.3), which never causes a bounce or another reply.
Task<void> store_away_reply(
    Connection& conn, AccountId account, const AutoReplyRequest& request, std::string reply
) {
    if (request.sender_is_local) {
        auto found = co_await conn.execute(sql::kFindAccountByAddress, Params(request.sender));
        if (!found) {
            co_return found.error();
        }
        if (found->empty()) {
            co_return Result<void>{};
        }
        const std::string raw = "Return-Path: <>\r\n" + reply;
        const auto parsed = mime::parse(raw);
        const DeliveryTarget target{read_account(*found, 0).id, "INBOX"};
        const IncomingMessage incoming{raw, parsed, unix_now(), {}};
        auto stored = co_await deliver_in(conn, incoming, std::span(&target, 1), {});
        if (!stored) {
            co_return stored.error();
        }
        co_return Result<void>{};
    }
    OutboundEnvelope envelope;
    envelope.account = account;
    envelope.return_full = false;
    envelope.recipients.push_back(OutboundRecipient{request.sender, "", "NEVER"});
    const auto parsed = mime::parse(reply);
    const IncomingMessage incoming{reply, parsed, unix_now(), {}};
    auto stored = co_await deliver_in(conn, incoming, {}, std::span(&envelope, 1));
    if (!stored) {
        co_return stored.error();
    }
    co_return Result<void>{};
}

// The away replies of TARGETS to the message being delivered, in its transaction: an
// acknowledged message and its replies are committed together, and a delivery retried after
// a failure replies only once.
Task<void> answer_away(
    Connection& conn, std::span<const DeliveryTarget> targets, AutoReplyRequest& request
) {
    request.replied.clear();  // the transaction may be a retry
    std::vector<std::string> accounts;
    for (const auto& target : targets) {
        accounts.push_back(std::to_string(target.account));
    }
    auto settings = co_await enabled_autoreplies(conn, accounts);
    if (!settings) {
        co_return settings.error();
    }
    for (const auto& setting : *settings) {
        auto reply = request.compose(setting);
        if (!reply) {
            continue;
        }
        auto claimed =
            co_await claim_autoreply(conn, setting.account, request.sender, setting.period_days);
        if (!claimed) {
            co_return claimed.error();
        }
        if (!*claimed) {
            continue;
        }
        if (auto stored = co_await store_away_reply(conn, setting.account, request, *reply);
            !stored) {
            co_return stored.error();
        }
        request.replied.push_back(setting.account);
    }
    co_return Result<void>{};
}

// TARGETS with each kJunkMailbox replaced by the name of that account's \Junk mailbox, or
// INBOX when it has none (one query, only when a target names it).
Task<std::vector<DeliveryTarget>> resolve_junk(
    Pool& pool, std::span<const DeliveryTarget> targets
) {
    std::vector<DeliveryTarget> out(targets.begin(), targets.end());
    std::vector<std::string> accounts;
    for (const auto& target : targets) {
        if (target.mailbox == kJunkMailbox) {
            accounts.push_back(std::to_string(target.account));
        }
    }
    if (accounts.empty()) {
        co_return out;
    }
    auto names = co_await run_statement(pool, sql::kJunkMailboxNames, Params(accounts));
    if (!names) {
        co_return names.error();
    }
    for (auto& target : out) {
        if (target.mailbox != kJunkMailbox) {
            continue;
        }
        target.mailbox = "INBOX";
        for (int row = 0; row < names->rows(); ++row) {
            if (names->int64(row, 0) == target.account) {
                target.mailbox = std::string(names->text(row, 1));
            }
        }
    }
    co_return out;
}

}  // namespace

Task<std::vector<Delivered>> Mailstore::deliver(
    const IncomingMessage& message,
    std::span<const DeliveryTarget> targets,
    const OutboundEnvelope* outbound,
    AutoReplyRequest* autoreply
) {
    co_return co_await deliver(
        message, targets,
        outbound == nullptr ? std::span<const OutboundEnvelope>{} : std::span(outbound, 1),
        autoreply
    );
}

Task<std::vector<Delivered>> Mailstore::deliver(
    const IncomingMessage& message,
    std::span<const DeliveryTarget> targets,
    std::span<const OutboundEnvelope> outbound,
    AutoReplyRequest* autoreply
) {
    auto resolved = co_await resolve_junk(pool_, targets);
    if (!resolved) {
        co_return resolved.error();
    }
    co_return co_await deliver_resolved(message, *resolved, outbound, autoreply);
}

Task<std::vector<Delivered>> Mailstore::deliver_all(
    std::span<const IncomingMessage> messages, const DeliveryTarget& target
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<std::vector<Delivered>> {
        std::vector<Delivered> all;
        for (const auto& message : messages) {
            auto delivered = co_await deliver_in(conn, message, std::span(&target, 1), {});
            if (!delivered) {
                co_return delivered.error();
            }
            all.push_back(delivered->front());
        }
        co_return all;
    });
}

Task<std::vector<Delivered>> Mailstore::deliver_resolved(
    const IncomingMessage& message,
    std::span<const DeliveryTarget> targets,
    std::span<const OutboundEnvelope> outbound,
    AutoReplyRequest* autoreply
) {
    bool body_committed = false;
    if (outbound.empty() && !targets.empty()) {
        auto delivered =
            co_await deliver_in_one_flight(pool_, message, targets, autoreply != nullptr);
        if (!delivered || !delivered->empty()) {
            co_return delivered;
        }
        body_committed = true;
    }
    auto outcome =
        co_await in_transaction(pool_, [&](Connection& conn) -> Task<std::vector<Delivered>> {
            auto delivered = co_await deliver_in(conn, message, targets, outbound);
            if (!delivered || autoreply == nullptr || targets.empty()) {
                co_return delivered;
            }
            if (auto answered = co_await answer_away(conn, targets, *autoreply); !answered) {
                co_return answered.error();
            }
            co_return delivered;
        });
    if (!outcome && body_committed) {
        // The one-flight attempt committed the body; nothing refers to it now (a target
        // mailbox went away meanwhile), so it goes too. Failing here leaves the row for the
        // next removal of that content, and the delivery's error stands either way.
        const std::vector<std::string> hashes{hex(sha256(message.raw))};
        (void)co_await in_transaction(pool_, [&](Connection& conn) {
            return delete_unused_bodies(conn, hashes);
        });
    }
    co_return outcome;
}

}  // namespace govmail::storage
