// A connection lost around the reply to COMMIT (commit.hpp), against the real embedded
// PostgreSQL through a proxy that hangs up just before or just after passing that reply on:
// the transaction committed, so the caller gets its results, and a delivery counts as stored
// once (a temporary failure would make the client send the message again); InDoubt when the
// database cannot be asked. Then the asking about a transaction's end: committed, rolled
// back, awaited while it runs, or unknown.

#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "storage/pg/commit.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/sql/transactions.hpp"
#include "tests/storage/storage_fixture.hpp"
#include "tests/support/commit_reply_cutter.hpp"

namespace govmail::test {
namespace {
using storage::Errc;
using Steps = std::vector<storage::PipelineStep>;

constexpr storage::Statement kBumpUidnext{
    "test_commit_bump",
    "UPDATE mailboxes SET uidnext = uidnext + 100 WHERE account_id = $1 AND name = 'INBOX' "
    "RETURNING uidnext",
};

// Begins a transaction on CONN that writes (it bumps ACCOUNT's INBOX uidnext) and returns its id.
boost::asio::awaitable<Result<std::string>> begin_writing(
    storage::Connection& conn, storage::AccountId account
) {
    const storage::Params none;
    const storage::Params owner(account);
    const Steps steps{
        {storage::sql::kBegin, none},
        {kBumpUidnext, owner},
        {storage::sql::kCurrentTransactionId, none}};
    auto sent = co_await conn.execute_pipeline(steps);
    if (!sent) {
        co_return sent.error;
    }
    co_return std::string(sent.results[2].text(0, 0));
}

class CommitTest : public StorageTest, public ::testing::WithParamInterface<Cut> {
protected:
    // Declared before the pool through it, so no connection outlives the proxy.
    CommitReplyCutter cutter{test_dsn(), GetParam()};
    storage::Pool cut_pool{
        ioc.get_executor(),
        storage::PoolOptions{cutter.dsn(), 2, std::chrono::seconds(30), std::chrono::seconds(2)}};
    storage::Mailstore cut_store{cut_pool};

    // STEPS and COMMIT in one flight through the proxy, which ends the connection.
    Result<std::vector<storage::PgResult>> commit_through_proxy(
        const Steps& steps, storage::EffectCheck check = {}
    ) {
        return run([&]() -> boost::asio::awaitable<Result<std::vector<storage::PgResult>>> {
            auto conn = co_await cut_pool.acquire();
            if (!conn) {
                co_return conn.error();
            }
            auto results = co_await storage::commit_in_flight(cut_pool, **conn, steps, check);
            EXPECT_TRUE((*conn)->broken());
            co_return results;
        }());
    }
};

TEST_P(CommitTest, ACommitCountsOnceItTookEffect) {
    const auto account = new_account();
    const storage::Params none;
    const storage::Params owner(account.id);
    const auto results =
        commit_through_proxy({{storage::sql::kBegin, none}, {kBumpUidnext, owner}});
    EXPECT_EQ(cutter.cuts(), 1);
    ASSERT_TRUE(results) << results.error().message();
    ASSERT_EQ(results->size(), 2u);
    EXPECT_EQ((*results)[1].int64(0, 0), 101);
    EXPECT_EQ(ok(store.find_mailbox(account.id, "INBOX")).uidnext, 101u);
}

TEST_P(CommitTest, ADeliveryIsReportedStoredAndStoredOnce) {
    const auto account = new_account();
    const std::string raw = sample_message("commit-reply-lost-" + account.address);
    const auto parsed = mime::parse(raw);
    const storage::DeliveryTarget target{account.id, "INBOX"};
    const auto delivered = ok(cut_store.deliver(
        storage::IncomingMessage{raw, parsed, 1'700'000'000, {}}, std::span(&target, 1)
    ));
    EXPECT_EQ(cutter.cuts(), 1);
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0].uid, 1u);
    EXPECT_EQ(stored_bodies(raw), 1);
    const auto inbox = ok(store.find_mailbox(account.id, "INBOX"));
    EXPECT_EQ(ok(store.mailbox_view(account.id, inbox.id)).size(), 1u);
}

TEST_P(CommitTest, ACommitWhoseEndCannotBeLearnedIsInDoubt) {
    const auto account = new_account();
    const storage::Params none;
    const storage::Params owner(account.id);
    cutter.refuse_connections_after_next_cut();
    const auto results =
        commit_through_proxy({{storage::sql::kBegin, none}, {kBumpUidnext, owner}});
    EXPECT_EQ(cutter.cuts(), 1);
    if (GetParam() == Cut::AfterCommitReply) {
        ASSERT_TRUE(results) << results.error().message();
        EXPECT_EQ(results->size(), 2u);
    } else {
        ASSERT_FALSE(results);
        EXPECT_EQ(results.error(), make_error_code(Errc::InDoubt));
    }
    EXPECT_EQ(ok(store.find_mailbox(account.id, "INBOX")).uidnext, 101u);  // it did commit
}

// After a crash PostgreSQL may give a lost transaction's id to another one, which commits:
// the check of what the transaction wrote has the last word.
TEST_P(CommitTest, ACommittedStatusTheEffectCheckDisprovesDoesNotCount) {
    const auto account = new_account();
    const storage::Params none;
    const storage::Params owner(account.id);
    int checked = 0;
    const auto results = commit_through_proxy(
        {{storage::sql::kBegin, none}, {kBumpUidnext, owner}},
        [&checked](
            storage::Connection&, const std::vector<storage::PgResult>& done
        ) -> boost::asio::awaitable<Result<storage::TransactionEnd>> {
            ++checked;
            EXPECT_EQ(done.size(), 2u);  // the results of the steps
            co_return storage::TransactionEnd::Aborted;
        }
    );
    EXPECT_EQ(cutter.cuts(), 1);
    if (GetParam() == Cut::AfterCommitReply) {
        EXPECT_TRUE(results) << results.error().message();
        EXPECT_EQ(checked, 0);  // COMMIT's reply came: nothing to ask
    } else {
        ASSERT_FALSE(results);
        EXPECT_EQ(results.error(), make_error_code(Errc::Unavailable));
        EXPECT_EQ(checked, 1);
    }
}

TEST_P(CommitTest, AReadOnlyTransactionFailsOnlyWhenItsCommitReplyIsLost) {
    // Nothing written, no transaction id: there is nothing to ask about and nothing stored.
    const storage::Params none;
    const auto results = commit_through_proxy({{storage::sql::kBegin, none}});
    EXPECT_EQ(cutter.cuts(), 1);
    if (GetParam() == Cut::AfterCommitReply) {
        ASSERT_TRUE(results) << results.error().message();
        EXPECT_EQ(results->size(), 1u);
    } else {
        ASSERT_FALSE(results);
        EXPECT_EQ(results.error(), make_error_code(Errc::Unavailable));
    }
}

INSTANTIATE_TEST_SUITE_P(
    WhereTheConnectionIsLost,
    CommitTest,
    ::testing::Values(Cut::BeforeCommitReply, Cut::AfterCommitReply),
    [](const ::testing::TestParamInfo<Cut>& where) { return ::testing::PrintToString(where.param); }
);

using TransactionEndTest = StorageTest;

TEST_F(TransactionEndTest, TheStatusOfARolledBackTransactionIsNotCommitted) {
    const auto account = new_account();
    const auto ended = ok([&]() -> boost::asio::awaitable<Result<storage::TransactionEnd>> {
        auto conn = co_await pool.acquire();
        auto xid = co_await begin_writing(**conn, account.id);
        if (!xid) {
            co_return xid.error();
        }
        if (auto rolled_back = co_await (*conn)->execute_script("ROLLBACK"); !rolled_back) {
            co_return rolled_back.error();
        }
        co_return co_await storage::transaction_end(pool, *xid, std::chrono::seconds(5));
    }());
    EXPECT_EQ(ended, storage::TransactionEnd::Aborted);
    EXPECT_EQ(ok(store.find_mailbox(account.id, "INBOX")).uidnext, 1u);
}

TEST_F(TransactionEndTest, AnIdFromTheFutureWasLostInACrash) {
    // After crash recovery the ids of transactions whose log was lost lie ahead of the
    // server's next id: PostgreSQL calls them "in the future".
    static constexpr storage::Statement kNextId{
        "test_next_transaction_id", "SELECT (pg_current_xact_id()::text::bigint + 1000000)::text"};
    const auto ended = ok([&]() -> boost::asio::awaitable<Result<storage::TransactionEnd>> {
        auto conn = co_await pool.acquire();
        auto future = co_await (*conn)->execute(kNextId, storage::Params());
        if (!future) {
            co_return future.error();
        }
        const std::string xid(future->text(0, 0));
        co_return co_await storage::transaction_end(pool, xid, std::chrono::seconds(5));
    }());
    EXPECT_EQ(ended, storage::TransactionEnd::Aborted);
}

TEST_F(TransactionEndTest, TheStatusOfARunningTransactionIsAwaitedUntilItCommits) {
    const auto account = new_account();
    const auto started = std::chrono::steady_clock::now();
    const auto ended = ok([&]() -> boost::asio::awaitable<Result<storage::TransactionEnd>> {
        auto conn = co_await pool.acquire();
        auto xid = co_await begin_writing(**conn, account.id);
        if (!xid) {
            co_return xid.error();
        }
        // The transaction commits 600 ms from now, while its status is being asked.
        boost::asio::co_spawn(
            ioc,
            [](storage::PooledConnection held) -> boost::asio::awaitable<void> {
                boost::asio::steady_timer later(
                    co_await boost::asio::this_coro::executor, std::chrono::milliseconds(600)
                );
                co_await later.async_wait(boost::asio::use_awaitable);
                (void)co_await held->execute_script("COMMIT");
            }(std::move(*conn)),
            boost::asio::detached
        );
        co_return co_await storage::transaction_end(pool, *xid, std::chrono::seconds(10));
    }());
    EXPECT_EQ(ended, storage::TransactionEnd::Committed);
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(600));
    EXPECT_EQ(ok(store.find_mailbox(account.id, "INBOX")).uidnext, 101u);
}

TEST_F(TransactionEndTest, TheStatusOfATransactionThatOutlastsThePatienceIsUnknown) {
    const auto account = new_account();
    const auto outcome = run([&]() -> boost::asio::awaitable<Result<storage::TransactionEnd>> {
        auto conn = co_await pool.acquire();
        auto xid = co_await begin_writing(**conn, account.id);
        if (!xid) {
            co_return xid.error();
        }
        auto answer = co_await storage::transaction_end(pool, *xid, std::chrono::milliseconds(600));
        (void)co_await (*conn)->execute_script("ROLLBACK");
        co_return answer;
    }());
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error(), make_error_code(Errc::Unavailable));
}

}  // namespace
}  // namespace govmail::test
