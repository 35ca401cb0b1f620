#include "storage/mailstore.hpp"

#include <array>
#include <limits>

#include "common/hex.hpp"
#include "common/sha256.hpp"
#include "common/unix_time.hpp"
#include "storage/account_state.hpp"
#include "storage/autoreply_store.hpp"
#include "storage/body_cleanup.hpp"
#include "storage/commit.hpp"
#include "storage/errc.hpp"
#include "storage/query.hpp"
#include "storage/sql/accounts.hpp"
#include "storage/sql/mailboxes.hpp"
#include "storage/sql/messages.hpp"
#include "storage/sql/queue.hpp"
#include "storage/sql/transactions.hpp"
#include "storage/transaction.hpp"

namespace govmail::storage {
using boost::asio::awaitable;

namespace {

constexpr std::array kStandardMailboxes{
    StandardMailbox{"INBOX", ""},          StandardMailbox{"Sent", "\\Sent"},
    StandardMailbox{"Drafts", "\\Drafts"}, StandardMailbox{"Trash", "\\Trash"},
    StandardMailbox{"Junk", "\\Junk"},     StandardMailbox{"Archive", "\\Archive"},
};

const UidRanges kAllUids{{1, std::numeric_limits<Uid>::max()}};

Account read_account(const PgResult& r, int row) {
    return Account{
        r.int64(row, 0), std::string(r.text(row, 1)),
        parse_account_state(r.text(row, 2)).value_or(AccountState::Locked),
        std::string(r.text(row, 3))};
}

MailboxInfo read_mailbox(const PgResult& r, int row) {
    MailboxInfo m;
    m.id = r.int64(row, 0);
    m.name = r.text(row, 1);
    m.special_use = r.optional_text(row, 2);
    m.subscribed = r.boolean(row, 3);
    m.uidvalidity = static_cast<std::uint32_t>(r.int64(row, 4));
    m.uidnext = static_cast<Uid>(r.int64(row, 5));
    m.highest_modseq = static_cast<ModSeq>(r.int64(row, 6));
    return m;
}

// A mailbox row with its message counts after the fields (GOVMAIL_MAILBOX_COLUMNS).
MailboxInfo read_mailbox_with_counts(const PgResult& r, int row) {
    auto m = read_mailbox(r, row);
    m.counts = MailboxCounts{
        static_cast<std::uint32_t>(r.int64(row, 7)), static_cast<std::uint32_t>(r.int64(row, 8))};
    return m;
}

// A row of (uid, modseq, flags).
MessageState read_state(const PgResult& r, int row) {
    return MessageState{
        static_cast<Uid>(r.int64(row, 0)), static_cast<ModSeq>(r.int64(row, 1)),
        r.text_array(row, 2)};
}

Uid read_uid(const PgResult& r, int row) { return static_cast<Uid>(r.int64(row, 0)); }

// Appends the lower and upper bounds of RANGES as two bigint[] parameters.
Params& add_ranges(Params& params, const UidRanges& ranges) {
    std::vector<std::string> lo;
    std::vector<std::string> hi;
    for (const auto& [first, last] : ranges) {
        lo.push_back(std::to_string(first));
        hi.push_back(std::to_string(last));
    }
    return params.add(lo).add(hi);
}

template <class T>
using Task = awaitable<Result<T>>;

Task<CopyResult> copy_in(
    Connection& conn, AccountId account, MailboxId from, const UidRanges& uids, MailboxId to
) {
    Params params(account, from);
    add_ranges(params, uids).add(to);
    auto r = co_await conn.execute(sql::kCopy, params);
    if (!r) {
        co_return r.error();
    }
    CopyResult result;
    for (int row = 0; row < r->rows(); ++row) {
        result.copied.push_back(CopiedMessage{
            static_cast<Uid>(r->int64(row, 0)), static_cast<Uid>(r->int64(row, 1))});
        result.destination_uidvalidity = static_cast<std::uint32_t>(r->int64(row, 2));
    }
    co_return result;
}

Task<CopyResult> move_in(
    Connection& conn, AccountId account, MailboxId from, const UidRanges& uids, MailboxId to
) {
    auto copied = co_await copy_in(conn, account, from, uids, to);
    if (!copied) {
        co_return copied;
    }
    Params params(account, from);
    if (auto removed = co_await conn.execute(sql::kRemoveUids, add_ranges(params, uids));
        !removed) {
        co_return removed.error();
    }
    co_return copied;
}

// Inserts mailbox NAME unless the account already holds MAX_MAILBOXES others (Errc::Limit),
// with the account's creations serialised so two sessions cannot both take the last place.
Task<PgResult> insert_mailbox_within(
    Connection& conn,
    AccountId account,
    std::string_view name,
    std::string_view special_use,
    std::size_t max_mailboxes
) {
    if (auto locked = co_await conn.execute(sql::kLockAccountMailboxes, Params(account));
        !locked || locked->empty()) {
        co_return locked ? make_error_code(Errc::NotFound) : locked.error();
    }
    Params params(account, name);
    if (special_use.empty()) {
        params.add(std::nullopt);
    } else {
        params.add(special_use);
    }
    auto inserted = co_await conn.execute(sql::kInsertMailboxWithin, params.add(max_mailboxes));
    if (inserted && inserted->empty()) {
        co_return make_error_code(Errc::Limit);
    }
    co_return inserted;
}

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
    const OutboundEnvelope* outbound
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
    if (outbound != nullptr) {
        if (auto queued = co_await enqueue(conn, statements.hash, *outbound); !queued) {
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
        auto stored = co_await deliver_in(conn, incoming, std::span(&target, 1), nullptr);
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
    auto stored = co_await deliver_in(conn, incoming, {}, &envelope);
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

}  // namespace

std::span<const StandardMailbox> standard_mailboxes() { return kStandardMailboxes; }

Task<Account> Mailstore::find_account(std::string_view address) {
    co_return co_await run_one_row(
        pool_, sql::kFindAccountByAddress, Params(address), read_account
    );
}

Task<Account> Mailstore::find_account(AccountId id) {
    co_return co_await run_one_row(pool_, sql::kFindAccountById, Params(id), read_account);
}

Task<Account> Mailstore::create_account(const NewAccount& account) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<Account> {
        auto inserted = co_await conn.execute(
            sql::kInsertAccount,
            Params(account.address, account.display_name, account.service ? "service" : "person")
        );
        if (!inserted) {
            co_return inserted.error();
        }
        const auto created = read_account(*inserted, 0);
        for (const auto& mailbox : kStandardMailboxes) {
            Params params(created.id, mailbox.name);
            if (mailbox.special_use.empty()) {
                params.add(std::nullopt);
            } else {
                params.add(mailbox.special_use);
            }
            if (auto r = co_await conn.execute(sql::kInsertMailbox, params); !r) {
                co_return r.error();
            }
        }
        co_return created;
    });
}

Task<std::vector<MailboxInfo>> Mailstore::list_mailboxes(AccountId account) {
    co_return co_await run_all_rows(
        pool_, sql::kListMailboxes, Params(account), read_mailbox_with_counts
    );
}

Task<MailboxInfo> Mailstore::find_mailbox(AccountId account, std::string_view name) {
    co_return co_await run_one_row(pool_, sql::kFindMailbox, Params(account, name), read_mailbox);
}

Task<MailboxInfo> Mailstore::mailbox_status(AccountId account, std::string_view name) {
    co_return co_await run_one_row(
        pool_, sql::kMailboxStatus, Params(account, name), read_mailbox_with_counts
    );
}

Task<MailboxInfo> Mailstore::create_mailbox(
    AccountId account,
    std::string_view name,
    std::size_t max_mailboxes,
    std::string_view special_use
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<MailboxInfo> {
        auto created =
            co_await insert_mailbox_within(conn, account, name, special_use, max_mailboxes);
        if (!created) {
            co_return created.error();
        }
        co_return read_mailbox_with_counts(*created, 0);
    });
}

Task<std::vector<std::string>> Mailstore::child_mailbox_names(
    AccountId account, std::string_view name
) {
    co_return co_await run_all_rows(
        pool_, sql::kChildMailboxNames, Params(account, name),
        [](const PgResult& r, int row) { return std::string(r.text(row, 0)); }
    );
}

Task<void> Mailstore::rename_mailbox(
    AccountId account, std::string_view from, std::string_view to, std::size_t max_mailboxes
) {
    if (from != "INBOX") {
        auto r = co_await run_statement(pool_, sql::kRenameMailbox, Params(account, from, to));
        if (!r) {
            co_return r.error();
        }
        co_return Result<void>{};
    }
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<void> {
        auto inbox = co_await conn.execute(sql::kFindMailbox, Params(account, "INBOX"));
        if (!inbox || inbox->empty()) {
            co_return inbox ? make_error_code(Errc::NotFound) : inbox.error();
        }
        auto created = co_await insert_mailbox_within(conn, account, to, {}, max_mailboxes);
        if (!created) {
            co_return created.error();
        }
        auto moved = co_await move_in(
            conn, account, read_mailbox(*inbox, 0).id, kAllUids, read_mailbox(*created, 0).id
        );
        if (!moved) {
            co_return moved.error();
        }
        co_return Result<void>{};
    });
}

Task<void> Mailstore::delete_mailbox(AccountId account, std::string_view name) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<void> {
        auto held = co_await conn.execute(sql::kDeleteMailbox, Params(account, name));
        if (!held) {
            co_return held.error();
        }
        if (held->empty()) {
            co_return make_error_code(Errc::NotFound);
        }
        std::vector<std::string> hashes;
        for (int row = 0; row < held->rows(); ++row) {
            if (!held->is_null(row, 0)) {
                hashes.emplace_back(held->text(row, 0));
            }
        }
        if (auto freed = co_await delete_unused_bodies(conn, hashes); !freed) {
            co_return freed.error();
        }
        co_return Result<void>{};
    });
}

Task<void> Mailstore::set_subscribed(AccountId account, std::string_view name, bool subscribed) {
    auto r = co_await run_statement(pool_, sql::kSetSubscribed, Params(account, name, subscribed));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

Task<std::vector<Delivered>> Mailstore::deliver(
    const IncomingMessage& message,
    std::span<const DeliveryTarget> targets,
    const OutboundEnvelope* outbound,
    AutoReplyRequest* autoreply
) {
    bool body_committed = false;
    if (outbound == nullptr && !targets.empty()) {
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

Task<std::vector<MessageState>> Mailstore::mailbox_view(AccountId account, MailboxId mailbox) {
    co_return co_await run_all_rows(pool_, sql::kMailboxView, Params(account, mailbox), read_state);
}

Task<std::vector<MessageState>> Mailstore::changed_since(
    AccountId account, MailboxId mailbox, ModSeq modseq
) {
    co_return co_await run_all_rows(
        pool_, sql::kChangedSince, Params(account, mailbox, modseq), read_state
    );
}

Task<std::vector<Uid>> Mailstore::expunged_since(
    AccountId account, MailboxId mailbox, ModSeq modseq
) {
    co_return co_await run_all_rows(
        pool_, sql::kExpungedSince, Params(account, mailbox, modseq), read_uid
    );
}

Task<std::vector<MessageSummary>> Mailstore::fetch(
    AccountId account, MailboxId mailbox, const UidRanges& uids
) {
    Params params(account, mailbox);
    auto r = co_await run_statement(pool_, sql::kFetchSummaries, add_ranges(params, uids));
    if (!r) {
        co_return r.error();
    }
    std::vector<MessageSummary> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) {
        MessageSummary s;
        s.state = MessageState{
            static_cast<Uid>(r->int64(row, 0)), static_cast<ModSeq>(r->int64(row, 1)),
            r->text_array(row, 2)};
        s.internal_date = r->int64(row, 3);
        s.size = static_cast<std::uint64_t>(r->int64(row, 4));
        s.body_id = r->text(row, 5);
        s.envelope = r->text(row, 6);
        s.body_structure = r->text(row, 7);
        s.body = r->text(row, 8);
        s.parts = r->text(row, 9);
        out.push_back(std::move(s));
    }
    co_return out;
}

Task<std::string> Mailstore::fetch_raw(std::string_view body_id) {
    co_return co_await run_one_row(
        pool_, sql::kFetchRaw, Params(body_id),
        [](const PgResult& r, int row) { return std::string(r.bytes(row, 0)); }
    );
}

Task<std::vector<MessageState>> Mailstore::store_flags(
    AccountId account,
    MailboxId mailbox,
    const UidRanges& uids,
    FlagChange change,
    const std::vector<std::string>& flags,
    std::optional<ModSeq> unchanged_since
) {
    static constexpr std::array<const char*, 3> kChangeNames{"replace", "add", "remove"};
    Params params(account, mailbox);
    add_ranges(params, uids)
        .add(kChangeNames[static_cast<std::size_t>(change)])
        .add(unchanged_since)
        .add(flags);
    co_return co_await run_all_rows(pool_, sql::kStoreFlags, params, read_state);
}

Task<std::vector<Uid>> Mailstore::expunge(
    AccountId account, MailboxId mailbox, const std::optional<UidRanges>& uids
) {
    Params params(account, mailbox);
    if (uids) {
        add_ranges(params, *uids);
    } else {
        params.add(std::nullopt).add(std::nullopt);
    }
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<std::vector<Uid>> {
        auto gone = co_await conn.execute(sql::kExpunge, params);
        if (!gone) {
            co_return gone.error();
        }
        if (auto freed = co_await delete_unused_bodies(conn, gone->column_text(1)); !freed) {
            co_return freed.error();
        }
        std::vector<Uid> expunged;
        for (int row = 0; row < gone->rows(); ++row) {
            expunged.push_back(read_uid(*gone, row));
        }
        co_return expunged;
    });
}

Task<CopyResult> Mailstore::copy(
    AccountId account, MailboxId from, const UidRanges& uids, MailboxId to
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) {
        return copy_in(conn, account, from, uids, to);
    });
}

Task<CopyResult> Mailstore::move(
    AccountId account, MailboxId from, const UidRanges& uids, MailboxId to
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) {
        return move_in(conn, account, from, uids, to);
    });
}

Task<QuotaUsage> Mailstore::quota_usage(AccountId account) {
    co_return co_await run_one_row(
        pool_, sql::kQuotaUsage, Params(account),
        [](const PgResult& r, int row) {
            return QuotaUsage{
                static_cast<std::uint64_t>(r.int64(row, 0)),
                static_cast<std::uint64_t>(r.int64(row, 1)),
                static_cast<std::uint64_t>(r.int64(row, 2))};
        }
    );
}

}  // namespace govmail::storage
