// The bounded expunged-UID history behind QRESYNC (RFC 7162 3.2): EXPUNGE and MOVE forget the
// UIDs beyond the newest expunge_history_max and those older than expunge_history_days, and
// changes_since() says when its expunged list may miss some (expunges_forgotten).

#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

using storage::Uid;

class ExpungeHistoryTest : public StorageTest {
protected:
    // A mailstore over the same pool keeping at most MAX_ROWS expunged UIDs per mailbox, for
    // MAX_DAYS days.
    storage::Mailstore bounded(std::uint32_t max_days, std::uint32_t max_rows) {
        return storage::Mailstore(
            pool, FlagCommit::Durable, ExpungeHistory{.max_days = max_days, .max_rows = max_rows}
        );
    }

    // Delivers N messages to a new account's INBOX; returns the account and the INBOX.
    std::pair<storage::Account, storage::MailboxInfo> inbox_with(int n) {
        const auto account = new_account();
        for (int i = 0; i < n; ++i) {
            deliver(sample_message("m" + std::to_string(i)), {account.id});
        }
        return {account, ok(store.find_mailbox(account.id, "INBOX"))};
    }

    // Marks FIRST:LAST \Deleted and expunges them through WITH; returns the modseq after.
    storage::ModSeq expunge(
        storage::Mailstore& with,
        const storage::Account& account,
        storage::MailboxId inbox,
        Uid first,
        Uid last
    ) {
        ok(store.store_flags(
            account.id, inbox, {{first, last}}, storage::FlagChange::Add, {"\\Deleted"}
        ));
        ok(with.expunge(account.id, inbox));
        return ok(store.find_mailbox(account.id, "INBOX")).highest_modseq;
    }
};

TEST_F(ExpungeHistoryTest, KeepsTheNewestRowsAndSaysWhenItForgot) {
    auto store2 = bounded(90, 2);
    const auto [account, inbox] = inbox_with(5);
    const auto before = inbox.highest_modseq;
    const auto after_first = expunge(store2, account, inbox.id, 1, 1);
    EXPECT_FALSE(ok(store.changes_since(account.id, inbox.id, before)).expunges_forgotten);
    const auto after_second = expunge(store2, account, inbox.id, 2, 3);
    const auto changes = ok(store.changes_since(account.id, inbox.id, before));
    EXPECT_EQ(changes.expunged, (std::vector<Uid>{2, 3}));
    EXPECT_TRUE(changes.expunges_forgotten) << "UID 1 was the third newest: forgotten";
    const auto since_first = ok(store.changes_since(account.id, inbox.id, after_first));
    EXPECT_EQ(since_first.expunged, (std::vector<Uid>{2, 3}));
    EXPECT_FALSE(since_first.expunges_forgotten) << "nothing after it was forgotten";

    expunge(store2, account, inbox.id, 4, 4);
    const auto last = ok(store.changes_since(account.id, inbox.id, after_first));
    EXPECT_EQ(last.expunged, (std::vector<Uid>{4})) << "2 and 3 share a modseq: both go";
    EXPECT_TRUE(last.expunges_forgotten);
    EXPECT_FALSE(ok(store.changes_since(account.id, inbox.id, after_second)).expunges_forgotten);
}

TEST_F(ExpungeHistoryTest, MoveForgetsTooAndTheDefaultBoundKeepsEverything) {
    auto store2 = bounded(90, 1);
    const auto [account, inbox] = inbox_with(3);
    const auto before = inbox.highest_modseq;
    const auto archive = ok(store.find_mailbox(account.id, "Archive"));
    ok(store2.move(account.id, inbox.id, {{1, 1}}, archive.id));
    ok(store2.move(account.id, inbox.id, {{2, 2}}, archive.id));
    auto changes = ok(store.changes_since(account.id, inbox.id, before));
    EXPECT_EQ(changes.expunged, (std::vector<Uid>{2}));
    EXPECT_TRUE(changes.expunges_forgotten);

    const auto [other, other_inbox] = inbox_with(3);
    expunge(store, other, other_inbox.id, 1, 1);
    expunge(store, other, other_inbox.id, 2, 2);
    changes = ok(store.changes_since(other.id, other_inbox.id, other_inbox.highest_modseq));
    EXPECT_EQ(changes.expunged, (std::vector<Uid>{1, 2}));
    EXPECT_FALSE(changes.expunges_forgotten);
}

TEST_F(ExpungeHistoryTest, ForgetsWhatIsOlderThanTheDays) {
    static constexpr storage::Statement kAge{
        "test_age_expunged",
        "UPDATE mailbox_expunged SET expunged_at = now() - interval '2 days'"
        " WHERE account_id = $1",
    };
    auto store2 = bounded(1, 1000);
    const auto [account, inbox] = inbox_with(3);
    const auto before = inbox.highest_modseq;
    const auto after_first = expunge(store2, account, inbox.id, 1, 1);
    const auto account_id = account.id;  // a lambda may not capture a structured binding (C++17)
    ok([&]() -> boost::asio::awaitable<Result<storage::PgResult>> {
        auto conn = co_await pool.acquire();
        if (!conn) {
            co_return conn.error();
        }
        co_return co_await (*conn)->execute(kAge, storage::Params(account_id));
    }());
    expunge(store2, account, inbox.id, 2, 2);
    const auto changes = ok(store.changes_since(account.id, inbox.id, before));
    EXPECT_EQ(changes.expunged, (std::vector<Uid>{2}));
    EXPECT_TRUE(changes.expunges_forgotten);
    EXPECT_FALSE(ok(store.changes_since(account.id, inbox.id, after_first)).expunges_forgotten);
}

}  // namespace
}  // namespace govmail::test
