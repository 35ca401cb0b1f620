#include "storage/mailstore.hpp"

#include <array>
#include <limits>

#include "storage/body_cleanup.hpp"
#include "storage/mailstore_rows.hpp"
#include "storage/pg/commit.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/sql/transactions.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/accounts.hpp"
#include "storage/sql/learn_queue.hpp"
#include "storage/sql/mailboxes.hpp"
#include "storage/sql/messages.hpp"

namespace govmail::storage {
using boost::asio::awaitable;

namespace {

// The mailboxes every account gets at creation: INBOX and the SPECIAL-USE ones.
struct StandardMailbox {
    std::string_view name;
    std::string_view special_use;  // empty for INBOX
};

constexpr std::array kStandardMailboxes{
    StandardMailbox{"INBOX", ""},          StandardMailbox{"Sent", "\\Sent"},
    StandardMailbox{"Drafts", "\\Drafts"}, StandardMailbox{"Trash", "\\Trash"},
    StandardMailbox{"Junk", "\\Junk"},     StandardMailbox{"Archive", "\\Archive"},
};

const UidRanges kAllUids{{1, std::numeric_limits<Uid>::max()}};

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
        static_cast<std::uint32_t>(r.int64(row, 7)), static_cast<std::uint32_t>(r.int64(row, 8)),
        static_cast<std::uint32_t>(r.int64(row, 9)), static_cast<std::uint64_t>(r.int64(row, 10))};
    return m;
}

Uid read_uid(const PgResult& r, int row) { return static_cast<Uid>(r.int64(row, 0)); }

template <class T>
using Task = awaitable<Result<T>>;

Task<CopyResult> copy_in(
    Connection& conn,
    AccountId account,
    MailboxId from,
    const UidRanges& uids,
    MailboxId to,
    Learning learning
) {
    Params params(account, from);
    add_ranges(params, uids).add(to);
    if (learning == Learning::FromJunkMoves) {
        if (auto queued = co_await conn.execute(sql::kQueueLearning, params); !queued) {
            co_return queued.error();
        }
    }
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

// Forgets the expunged UIDs of MAILBOX beyond BOUND, in the transaction that expunged more.
Task<void> forget_expunged(
    Connection& conn, AccountId account, MailboxId mailbox, const ExpungeHistory& bound
) {
    auto forgotten = co_await conn.execute(
        sql::kForgetExpunged, Params(account, mailbox, bound.max_days, bound.max_rows)
    );
    if (!forgotten) {
        co_return forgotten.error();
    }
    co_return Result<void>{};
}

Task<CopyResult> move_in(
    Connection& conn,
    AccountId account,
    MailboxId from,
    const UidRanges& uids,
    MailboxId to,
    const ExpungeHistory& history,
    Learning learning
) {
    auto copied = co_await copy_in(conn, account, from, uids, to, learning);
    if (!copied) {
        co_return copied;
    }
    Params params(account, from);
    if (auto removed = co_await conn.execute(sql::kRemoveUids, add_ranges(params, uids));
        !removed) {
        co_return removed.error();
    }
    if (auto forgotten = co_await forget_expunged(conn, account, from, history); !forgotten) {
        co_return forgotten.error();
    }
    co_return copied;
}

// Inserts mailbox NAME unless it exists (Errc::Exists) or the account already holds
// MAX_MAILBOXES others (Errc::Limit), with the account's creations serialised so two sessions
// cannot both take the last place.
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
    if (!inserted || !inserted->empty()) {
        co_return inserted;
    }
    auto existing = co_await conn.execute(sql::kFindMailbox, Params(account, name));
    if (!existing) {
        co_return existing.error();
    }
    co_return make_error_code(existing->empty() ? Errc::Limit : Errc::Exists);
}

}  // namespace

Task<Account> Mailstore::find_account(std::string_view address) {
    co_return co_await run_one_row(
        pool_, sql::kFindAccountByAddress, Params(address), read_account
    );
}

Task<Account> Mailstore::find_account(AccountId id) {
    co_return co_await run_one_row(pool_, sql::kFindAccountById, Params(id), read_account);
}

Task<Account> Mailstore::create_account(const NewAccount& account, const AuditOf<Account>& audit) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<Account> {
        auto inserted = co_await conn.execute(
            sql::kInsertAccount, Params(
                                     account.address, account.display_name,
                                     account.service ? "service" : "person", account.org_unit
                                 )
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
        if (auto appended = co_await append_audit(conn, audit(created)); !appended) {
            co_return appended.error();
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
            conn, account, read_mailbox(*inbox, 0).id, kAllUids, read_mailbox(*created, 0).id,
            expunge_history_, Learning::Off
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
    if (flag_commit_ == FlagCommit::Durable) {
        co_return co_await run_all_rows(pool_, sql::kStoreFlags, params, read_state);
    }
    auto conn = co_await pool_.acquire();
    if (!conn) {
        co_return conn.error();
    }
    const Params none;
    const std::array steps{
        PipelineStep{sql::kAsynchronousCommit, none}, PipelineStep{sql::kStoreFlags, params}};
    (*conn)->begin_with_next_flight();
    auto results = co_await commit_in_flight(pool_, **conn, steps);
    if (!results) {
        co_return results.error();
    }
    std::vector<MessageState> changed;
    const PgResult& rows = results->back();
    for (int row = 0; row < rows.rows(); ++row) {
        changed.push_back(read_state(rows, row));
    }
    co_return changed;
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
        if (auto forgotten = co_await forget_expunged(conn, account, mailbox, expunge_history_);
            !forgotten) {
            co_return forgotten.error();
        }
        std::vector<Uid> expunged;
        for (int row = 0; row < gone->rows(); ++row) {
            expunged.push_back(read_uid(*gone, row));
        }
        co_return expunged;
    });
}

Task<CopyResult> Mailstore::copy(
    AccountId account, MailboxId from, const UidRanges& uids, MailboxId to, Learning learning
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) {
        return copy_in(conn, account, from, uids, to, learning);
    });
}

Task<CopyResult> Mailstore::move(
    AccountId account, MailboxId from, const UidRanges& uids, MailboxId to, Learning learning
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) {
        return move_in(conn, account, from, uids, to, expunge_history_, learning);
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
