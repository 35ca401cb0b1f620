// Connection::execute_pipeline against the real embedded PostgreSQL: every step's result in
// order from one flight, statements prepared within it, and a failing step that stops the
// rest (the results before it kept) and leaves the transaction to roll back, on a connection
// that stays usable. in_transaction() sends BEGIN with the body's first flight.

#include "storage/body_cleanup.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/sql/transactions.hpp"
#include "storage/pg/transaction.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {
using storage::Errc;

constexpr storage::Statement kIncrement{"test_pipeline_increment", "SELECT $1::int + 1"};
constexpr storage::Statement kDivide{"test_pipeline_divide", "SELECT 100 / $1::int"};
constexpr storage::Statement kBumpUidnext{
    "test_pipeline_bump",
    "UPDATE mailboxes SET uidnext = uidnext + 100 WHERE account_id = $1 RETURNING uidnext",
};

using Steps = std::vector<storage::PipelineStep>;

TEST_F(StorageTest, PipelineReturnsEveryStepsResultInOrder) {
    const storage::Params none;
    const storage::Params one(1);
    const storage::Params forty(40);
    const Steps steps{
        {storage::sql::kBegin, none},
        {kIncrement, one},
        {kIncrement, forty},
        {storage::sql::kCommit, none}};
    ok([&]() -> boost::asio::awaitable<Result<void>> {
        auto conn = co_await pool.acquire();
        // Twice on one connection: the first flight prepares the statements, the second reuses
        // them.
        for (int round = 0; round < 2; ++round) {
            auto sent = co_await (*conn)->execute_pipeline(steps);
            if (!sent) {
                co_return sent.error;
            }
            EXPECT_EQ(sent.results.size(), 4u);
            EXPECT_EQ(sent.results[1].int64(0, 0), 2);
            EXPECT_EQ(sent.results[2].int64(0, 0), 41);
            EXPECT_FALSE((*conn)->in_transaction());
        }
        co_return Result<void>{};
    }());
}

TEST_F(StorageTest, PipelineStopsAtTheFirstErrorAndTheConnectionStaysUsable) {
    const auto account = new_account();
    const storage::Params none;
    const storage::Params owner(account.id);
    const storage::Params zero(0);
    const Steps failing{
        {storage::sql::kBegin, none},
        {kBumpUidnext, owner},
        {kDivide, zero},
        {kIncrement, zero},
        {storage::sql::kCommit, none}};
    const auto outcome = run([&]() -> boost::asio::awaitable<Result<std::int64_t>> {
        auto conn = co_await pool.acquire();
        auto failed = co_await (*conn)->execute_pipeline(failing);
        if (failed) {
            ADD_FAILURE() << "a pipeline with a failing step succeeded";
            co_return make_error_code(Errc::InvalidData);
        }
        EXPECT_EQ(failed.error, make_error_code(Errc::InvalidData));  // division by zero
        EXPECT_EQ(failed.results.size(), 2u);  // BEGIN and the update before it
        EXPECT_FALSE((*conn)->broken());
        EXPECT_TRUE((*conn)->in_transaction());  // aborted, COMMIT skipped
        auto rolled_back = co_await (*conn)->execute_script("ROLLBACK");
        if (!rolled_back) {
            co_return rolled_back.error();
        }
        const storage::Params three(3);
        const Steps again{{kIncrement, three}};
        auto after = co_await (*conn)->execute_pipeline(again);
        if (!after) {
            co_return after.error;
        }
        co_return after.results.front().int64(0, 0);
    }());
    ASSERT_TRUE(outcome) << outcome.error().message();
    EXPECT_EQ(*outcome, 4);
    // The update before the failing step was rolled back with it.
    EXPECT_EQ(ok(store.find_mailbox(account.id, "INBOX")).uidnext, 1u);
}

// A write transaction of one statement costs two round trips, not three: BEGIN rides with the
// statement, the transaction id and COMMIT go together (commit.hpp).
TEST_F(StorageTest, ATransactionSendsBeginWithItsFirstStatement) {
    const auto account = new_account();
    const storage::Params owner(account.id);
    storage::Connection* used = nullptr;
    std::uint64_t before = 0;
    std::uint64_t in_body = 0;
    auto bump = [&](storage::Connection& conn) -> boost::asio::awaitable<Result<std::int64_t>> {
        used = &conn;
        before = conn.round_trips();
        auto row = co_await conn.execute(kBumpUidnext, owner);
        in_body = conn.round_trips() - before;
        EXPECT_TRUE(conn.in_transaction());
        if (!row) {
            co_return row.error();
        }
        co_return row->int64(0, 0);
    };
    EXPECT_EQ(ok(storage::in_transaction(pool, bump)), 101);
    ASSERT_NE(used, nullptr);
    EXPECT_FALSE(used->in_transaction());
    // BEGIN, the update and its preparation on a fresh connection: one flight.
    EXPECT_EQ(in_body, 1u);
    // Then the transaction id and COMMIT: one more.
    EXPECT_EQ(used->round_trips() - before, 2u);
    EXPECT_EQ(ok(store.find_mailbox(account.id, "INBOX")).uidnext, 101u);
}

// BEGIN sent with the body's first statement still makes one transaction of the body: a later
// failing statement undoes the earlier ones, and the connection goes back clean.
TEST_F(StorageTest, ATransactionWhoseSecondStatementFailsUndoesTheFirst) {
    const auto account = new_account();
    const storage::Params owner(account.id);
    const storage::Params zero(0);
    const auto outcome = run(storage::in_transaction(
        pool,
        [&](storage::Connection& conn) -> boost::asio::awaitable<Result<std::int64_t>> {
            if (auto bumped = co_await conn.execute(kBumpUidnext, owner); !bumped) {
                co_return bumped.error();
            }
            auto divided = co_await conn.execute(kDivide, zero);
            if (!divided) {
                co_return divided.error();
            }
            co_return divided->int64(0, 0);
        }
    ));
    EXPECT_EQ(outcome.error(), make_error_code(Errc::InvalidData));
    EXPECT_EQ(ok(store.find_mailbox(account.id, "INBOX")).uidnext, 1u);
}

// EXPUNGE and every other remover of messages lock the bodies they may free and delete the
// unused ones in one flight.
TEST_F(StorageTest, FreeingUnusedBodiesIsOneRoundTrip) {
    const std::vector<std::string> hashes{std::string(64, 'a'), std::string(64, 'b')};
    auto free_bodies = [&](storage::Connection& conn) -> boost::asio::awaitable<Result<int>> {
        const auto before = conn.round_trips();
        auto freed = co_await storage::delete_unused_bodies(conn, hashes);
        if (!freed) {
            co_return freed.error();
        }
        EXPECT_EQ(freed->count, 0);  // no such bodies
        co_return static_cast<int>(conn.round_trips() - before);
    };
    EXPECT_EQ(ok(storage::in_transaction(pool, free_bodies)), 1);
}

// [imap] flag_commit = asynchronous: STORE commits in one flight with BEGIN, and the
// asynchronous commit ends with its transaction, so the connection's next change (an APPEND, an
// EXPUNGE) commits durably again.
TEST_F(StorageTest, AsynchronousFlagCommitIsOneFlightAndEndsWithItsTransaction) {
    storage::Pool one(
        ioc.get_executor(), storage::PoolOptions{test_dsn(), 1, std::chrono::seconds(30)}
    );
    storage::Mailstore flags_store(one, FlagCommit::Asynchronous);
    // The connection's synchronous_commit, whether it has sent the asynchronous-commit step,
    // and its round trips so far.
    static constexpr storage::Statement kCommitState{
        "test_commit_state",
        "SELECT current_setting('synchronous_commit'), EXISTS (SELECT FROM pg_prepared_statements "
        "WHERE name = 'asynchronous_commit')"};
    struct CommitState {
        std::string synchronous_commit;
        bool asked_asynchronous = false;
        std::uint64_t round_trips = 0;
    };
    auto commit_state = [&]() -> boost::asio::awaitable<Result<CommitState>> {
        auto conn = co_await one.acquire();
        if (!conn) {
            co_return conn.error();
        }
        auto r = co_await (*conn)->execute(kCommitState, storage::Params());
        if (!r) {
            co_return r.error();
        }
        co_return CommitState{
            std::string(r->text(0, 0)), r->text(0, 1) == "t", (*conn)->round_trips()};
    };
    const auto account = new_account();
    deliver(sample_message("async"), {account.id});
    const auto inbox = ok(store.find_mailbox(account.id, "INBOX"));
    const auto before = ok(commit_state());

    const auto changed = ok(flags_store.store_flags(
        account.id, inbox.id, {{1, 1}}, storage::FlagChange::Add, {"\\Seen", "$Work"}
    ));

    const auto after = ok(commit_state());
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].flags, (std::vector<std::string>{"$Work", "\\Seen"}));
    EXPECT_GT(changed[0].modseq, inbox.highest_modseq);
    EXPECT_EQ(after.round_trips - before.round_trips, 2u)
        << "the STORE's one flight and this check's";
    EXPECT_FALSE(before.asked_asynchronous);
    EXPECT_TRUE(after.asked_asynchronous);
    EXPECT_EQ(before.synchronous_commit, "on");
    EXPECT_EQ(after.synchronous_commit, "on")
        << "the asynchronous commit must not outlive its transaction";
    EXPECT_EQ(ok(store.mailbox_status(account.id, "INBOX")).counts.value().unseen, 0u);
}

}  // namespace
}  // namespace govmail::test
