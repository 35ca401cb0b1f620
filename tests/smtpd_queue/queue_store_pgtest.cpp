// The outbound queue's claims against the real PostgreSQL: each due recipient is claimed by
// one runner only, a lease that runs out is reclaimed, results from a claim that was taken
// over are ignored, and queuing mail wakes the runners. The tests use a database of their
// own, so the runners of integration tests on the shared one cannot take their mail.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <set>
#include <thread>

#include "mime/parse.hpp"
#include "storage/mailstore.hpp"
#include "storage/migrate.hpp"
#include "storage/queue_store.hpp"
#include "tests/support/async.hpp"
#include "tests/support/test_database.hpp"

namespace govmail::test {
namespace {

using boost::asio::awaitable;
using std::chrono::seconds;
using storage::RecipientState;

constexpr seconds kLease{300};

awaitable<Result<void>> create_database(storage::Pool* pool, std::string name) {
    auto conn = co_await pool->acquire();
    if (!conn) {
        co_return conn.error();
    }
    // A database name cannot be a parameter; NAME is made below from digits only.
    const std::string create = "CREATE DATABASE " + name;
    auto created = co_await (*conn)->execute_script(create);
    if (!created) {
        co_return created.error();
    }
    co_return Result<void>{};
}

awaitable<Result<storage::MigrationReport>> migrate_database(storage::Pool* pool) {
    auto conn = co_await pool->acquire();
    if (!conn) {
        co_return conn.error();
    }
    co_return co_await storage::migrate(**conn, {});
}

// A migrated database for this test process.
const std::string& private_dsn() {
    static const std::string dsn = [] {
        const std::string name =
            "queue_test_" + std::to_string(::getpid()) + "_" +
            std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
        boost::asio::io_context ioc;
        storage::Pool shared(ioc.get_executor(), storage::PoolOptions{test_dsn(), 1, seconds(30)});
        if (!run(ioc, create_database(&shared, name))) {
            throw std::runtime_error("cannot create " + name);
        }
        std::string own = test_dsn() + " dbname=" + name;
        storage::Pool pool(ioc.get_executor(), storage::PoolOptions{own, 1, seconds(30)});
        if (!run(ioc, migrate_database(&pool))) {
            throw std::runtime_error("cannot migrate " + name);
        }
        return own;
    }();
    return dsn;
}

// Claims until nothing is due, adding "queue_id/recipient" of each claim to CLAIMED.
awaitable<void> claim_all(storage::QueueStore* queue, std::vector<std::string>* claimed) {
    for (;;) {
        auto next = co_await queue->claim_next(kLease);
        if (!next || !*next) {
            co_return;
        }
        for (const auto& r : (*next)->recipients) {
            claimed->push_back(std::to_string((*next)->queue_id) + "/" + r.address);
        }
    }
}

class QueueStoreTest : public ::testing::Test {
protected:
    QueueStoreTest()
        : pool(ioc.get_executor(), storage::PoolOptions{private_dsn(), 6, seconds(30)}),
          store(pool),
          queue(pool) {
        drain();
    }

    template <class T>
    T ok(awaitable<Result<T>> task) {
        auto result = run(ioc, std::move(task));
        if (!result) {
            ADD_FAILURE() << "storage call failed: " << result.error().message();
            throw std::runtime_error("storage call failed");
        }
        if constexpr (!std::is_void_v<T>) {
            return std::move(*result);
        }
    }

    // Marks whatever an earlier test left due as failed, so each test sees only its own.
    void drain() {
        while (auto left = ok(queue.claim_next(kLease))) {
            std::vector<storage::AttemptResult> results;
            for (const auto& r : left->recipients) {
                results.push_back({r.address, r.attempt, RecipientState::Failed, seconds(0), ""});
            }
            ok(queue.record(*left, results));
        }
    }

    void enqueue(
        const std::vector<std::string>& recipients, const std::string& subject = "queued"
    ) {
        const std::string raw =
            "Return-Path: <alice@localhost>\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
        const auto parsed = mime::parse(raw);
        storage::OutboundEnvelope envelope;
        envelope.account = 1;
        envelope.sender = "alice@localhost";
        envelope.envid = "env-1";
        envelope.return_full = false;
        for (const auto& r : recipients) {
            envelope.recipients.push_back(storage::OutboundRecipient{
                r, "rfc822;" + r, "SUCCESS,FAILURE"});
        }
        ok(store.deliver(storage::IncomingMessage{raw, parsed, 1'700'000'000, {}}, {}, &envelope));
    }

    storage::ClaimedMessage claim(seconds lease = kLease) {
        auto claimed = ok(queue.claim_next(lease));
        if (!claimed) {
            ADD_FAILURE() << "nothing was claimed";
            throw std::runtime_error("nothing claimed");
        }
        return std::move(*claimed);
    }

    boost::asio::io_context ioc;
    storage::Pool pool;
    storage::Mailstore store;
    storage::QueueStore queue;
};

TEST_F(QueueStoreTest, ClaimTakesEveryDueRecipientOfOneMessageOnce) {
    enqueue({"bob@example.org", "carol@example.net"}, "claim-once");
    const auto claimed = claim();
    EXPECT_EQ(claimed.sender, "alice@localhost");
    EXPECT_EQ(claimed.envid, "env-1");
    EXPECT_FALSE(claimed.return_full);
    ASSERT_EQ(claimed.recipients.size(), 2u);
    EXPECT_EQ(claimed.recipients[0].address, "bob@example.org");
    EXPECT_EQ(claimed.recipients[0].orcpt, "rfc822;bob@example.org");
    EXPECT_EQ(claimed.recipients[0].notify, "SUCCESS,FAILURE");
    EXPECT_EQ(claimed.recipients[0].attempt, 1);
    EXPECT_EQ(claimed.recipients[1].address, "carol@example.net");
    const auto raw = ok(store.fetch_raw(claimed.body_id));
    EXPECT_NE(raw.find("Subject: claim-once"), std::string::npos);
    EXPECT_FALSE(ok(queue.claim_next(kLease)));
}

TEST_F(QueueStoreTest, ConcurrentRunnersNeverClaimTheSameRecipient) {
    for (int i = 0; i < 30; ++i) {
        enqueue({"a" + std::to_string(i) + "@example.org", "b@example.org", "c@example.net"});
    }
    storage::QueueStore second(pool);
    storage::QueueStore third(pool);
    std::vector<std::string> claimed_a;
    std::vector<std::string> claimed_b;
    std::vector<std::string> claimed_c;
    std::size_t finished = 0;
    const auto done = [&finished](std::exception_ptr) { ++finished; };
    boost::asio::co_spawn(ioc, claim_all(&queue, &claimed_a), done);
    boost::asio::co_spawn(ioc, claim_all(&second, &claimed_b), done);
    boost::asio::co_spawn(ioc, claim_all(&third, &claimed_c), done);
    ASSERT_TRUE(run_until(
        ioc, [&] { return finished == 3; }, std::chrono::seconds(60)
    ));
    std::set<std::string> all;
    for (const auto* claimed : {&claimed_a, &claimed_b, &claimed_c}) {
        for (const auto& key : *claimed) {
            EXPECT_TRUE(all.insert(key).second) << key << " claimed twice";
        }
    }
    EXPECT_EQ(all.size(), 90u);
    EXPECT_FALSE(claimed_a.empty() || claimed_b.empty() || claimed_c.empty())
        << "the claims were not shared: " << claimed_a.size() << "/" << claimed_b.size() << "/"
        << claimed_c.size();
}

TEST_F(QueueStoreTest, ExpiredLeaseIsReclaimed) {
    enqueue({"lease@example.org"});
    const auto first = claim(seconds(1));
    EXPECT_FALSE(ok(queue.claim_next(kLease))) << "claimed while the lease holds";
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    const auto again = claim();
    EXPECT_EQ(again.queue_id, first.queue_id);
    ASSERT_EQ(again.recipients.size(), 1u);
    EXPECT_EQ(again.recipients[0].attempt, 2);
}

TEST_F(QueueStoreTest, ResultsOfAClaimTakenOverAreIgnored) {
    enqueue({"slow@example.org"});
    const auto first = claim(seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    const auto second = claim();
    const std::vector<storage::AttemptResult> stale{
        {"slow@example.org", 1, RecipientState::Pending, seconds(0), "451 late"}};
    ok(queue.record(first, stale));
    EXPECT_FALSE(ok(queue.claim_next(kLease))) << "the stale result released the new claim";
    const std::vector<storage::AttemptResult> current{
        {"slow@example.org", 2, RecipientState::Pending, seconds(0), "451 again"}};
    ok(queue.record(second, current));
    EXPECT_EQ(claim().recipients.at(0).attempt, 3);
}

TEST_F(QueueStoreTest, RetriedRecipientsComeBackAndFinishedEntriesGoWithTheirBody) {
    enqueue({"done@example.org", "later@example.org"});
    const auto first = claim();
    const std::vector<storage::AttemptResult> results{
        {"done@example.org", 1, RecipientState::Delivered, seconds(0), "250 ok"},
        {"later@example.org", 1, RecipientState::Pending, seconds(0), "451 later"}};
    ok(queue.record(first, results));
    const auto retry = claim();
    ASSERT_EQ(retry.recipients.size(), 1u);
    EXPECT_EQ(retry.recipients[0].address, "later@example.org");
    EXPECT_EQ(retry.recipients[0].attempt, 2);
    const std::vector<storage::AttemptResult> final{
        {"later@example.org", 2, RecipientState::Failed, seconds(0), "550 no"}};
    ok(queue.record(retry, final));
    // The entry goes, and its body with it: nothing else holds it.
    static constexpr storage::Statement kCountEntry{
        "test_count_entry",
        "SELECT (SELECT count(*) FROM outbound_queue WHERE queue_id = $1)"
        " + (SELECT count(*) FROM message_bodies WHERE body_hash = decode($2, 'hex'))"};
    const auto count =
        ok([](storage::Pool* p, std::int64_t id,
              std::string body) -> awaitable<Result<std::int64_t>> {
            auto conn = co_await p->acquire();
            if (!conn) {
                co_return conn.error();
            }
            auto r = co_await (*conn)->execute(kCountEntry, storage::Params(id, body));
            if (!r) {
                co_return r.error();
            }
            co_return r->int64(0, 0);
        }(&pool, first.queue_id, first.body_id));
    EXPECT_EQ(count, 0);
}

TEST_F(QueueStoreTest, QueuingMailWakesTheListener) {
    int wakeups = 0;
    boost::asio::co_spawn(
        ioc, storage::listen_for_queued_mail(pool, [&wakeups] { ++wakeups; }), boost::asio::detached
    );
    ASSERT_TRUE(run_until(ioc, [&] { return wakeups == 1; }));  // on connecting
    enqueue({"wake@example.org"});
    EXPECT_TRUE(run_until(ioc, [&] { return wakeups == 2; }));
}

}  // namespace
}  // namespace govmail::test
