// Away replies stored with the delivery they answer: queued for a remote sender with the null
// envelope sender, delivered to a local sender's INBOX, once per sender per period even when
// deliveries race, and not looked for at all when no target is away.

#include <algorithm>
#include <mutex>
#include <thread>

#include "storage/autoreply_store.hpp"
#include "storage/pg/query.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

class AutoreplyStoreTest : public StorageTest {
protected:
    // Runs SQL (no parameters, values inlined by the test) for its effect.
    void exec(const std::string& sql) {
        ok([&]() -> boost::asio::awaitable<Result<void>> {
            auto conn = co_await pool.acquire();
            if (!conn) {
                co_return conn.error();
            }
            auto r = co_await (*conn)->execute_script(sql);
            if (!r) {
                co_return r.error();
            }
            co_return Result<void>{};
        }());
    }

    void away(const storage::Account& account, int days = 7) {
        exec(
            "INSERT INTO autoreply_settings (account_id, enabled, subject, body, period_days)"
            " VALUES (" +
            std::to_string(account.id) + ", true, 'Away', 'Back soon.', " + std::to_string(days) +
            ")"
        );
    }

    // Queued replies of ACCOUNT: "sender|recipient|notify" each.
    std::vector<std::string> queued_replies(const storage::Account& account) {
        static constexpr storage::Statement kQueued{
            "test_autoreply_queued",
            "SELECT q.sender || '|' || r.recipient || '|' || r.notify FROM outbound_queue q"
            " JOIN outbound_recipients r USING (account_id, queue_id) WHERE q.account_id = $1"
            " ORDER BY q.queue_id",
        };
        const auto r = ok(storage::run_statement(pool, kQueued, storage::Params(account.id)));
        std::vector<std::string> out;
        for (int row = 0; row < r.rows(); ++row) {
            out.emplace_back(r.text(row, 0));
        }
        return out;
    }

    std::vector<std::string> inbox(const storage::Account& account) {
        static constexpr storage::Statement kInbox{
            "test_autoreply_inbox",
            "SELECT convert_from(b.raw, 'UTF8') FROM mailbox_messages m"
            " JOIN mailboxes x USING (account_id, mailbox_id) JOIN message_bodies b USING"
            " (body_hash) WHERE m.account_id = $1 AND x.name = 'INBOX' ORDER BY m.uid",
        };
        const auto r = ok(storage::run_statement(pool, kInbox, storage::Params(account.id)));
        std::vector<std::string> out;
        for (int row = 0; row < r.rows(); ++row) {
            out.emplace_back(r.text(row, 0));
        }
        return out;
    }

    // Delivers a message from SENDER to TARGET with an away request whose compose() counts
    // its calls and answers with a fixed reply; returns the accounts that replied.
    std::vector<storage::AccountId> deliver_from(
        const std::string& sender, bool sender_is_local, const storage::Account& target
    ) {
        const auto raw = sample_message("m-" + unique_address());
        const auto parsed = mime::parse(raw);
        const storage::DeliveryTarget t{target.id, "INBOX"};
        storage::AutoReplyRequest request;
        request.sender = sender;
        request.sender_is_local = sender_is_local;
        request.compose = [&](const storage::AutoReplySetting& s) -> std::optional<std::string> {
            ++composed;
            EXPECT_EQ(s.account, target.id);
            EXPECT_EQ(s.address, target.address);
            EXPECT_EQ(s.body, "Back soon.");
            return "From: <" + s.address + ">\r\nTo: <" + sender +
                   ">\r\nSubject: Away\r\nAuto-Submitted: auto-replied\r\n\r\nBack soon.\r\n";
        };
        ok(store.deliver(storage::IncomingMessage{raw, parsed, 0, {}}, {&t, 1}, nullptr, &request));
        return request.replied;
    }

    int composed = 0;
};

TEST_F(AutoreplyStoreTest, RemoteSenderGetsOneQueuedReplyPerPeriod) {
    const auto account = new_account();
    away(account);
    const auto sender = "Bob-" + unique_address() + ".remote";
    EXPECT_EQ(deliver_from(sender, false, account), std::vector{account.id});
    EXPECT_EQ(queued_replies(account), std::vector<std::string>{"|" + sender + "|NEVER"});
    // The same sender again, in other letter case: within the period, no second reply.
    auto upper = sender;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    EXPECT_TRUE(deliver_from(upper, false, account).empty());
    EXPECT_EQ(queued_replies(account).size(), 1u);
    EXPECT_EQ(inbox(account).size(), 2u);  // both messages delivered
    // Once the period is over, the sender is answered again.
    exec(
        "UPDATE autoreply_log SET replied_at = now() - interval '7 days 1 minute'"
        " WHERE account_id = " +
        std::to_string(account.id)
    );
    EXPECT_EQ(deliver_from(sender, false, account), std::vector{account.id});
    EXPECT_EQ(queued_replies(account).size(), 2u);
}

TEST_F(AutoreplyStoreTest, LocalSenderGetsTheReplyInItsInbox) {
    const auto account = new_account();
    const auto colleague = new_account();
    away(account);
    EXPECT_EQ(deliver_from(colleague.address, true, account), std::vector{account.id});
    const auto replies = inbox(colleague);
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(replies[0].rfind("Return-Path: <>\r\nFrom: <" + account.address + ">\r\n", 0), 0u)
        << replies[0];
    EXPECT_TRUE(queued_replies(account).empty());
    // A local sender without an account gets nothing, and the delivery still succeeds.
    EXPECT_EQ(deliver_from(unique_address("ghost"), true, account), std::vector{account.id});
    EXPECT_EQ(inbox(account).size(), 2u);
}

TEST_F(AutoreplyStoreTest, NoSettingMeansNoReplyAndNoCompose) {
    const auto account = new_account();
    EXPECT_TRUE(deliver_from("bob@remote.test", false, account).empty());
    exec(
        "INSERT INTO autoreply_settings (account_id, enabled, body) VALUES (" +
        std::to_string(account.id) + ", false, 'off')"
    );
    EXPECT_TRUE(deliver_from("bob@remote.test", false, account).empty());
    EXPECT_EQ(composed, 0);
    EXPECT_TRUE(queued_replies(account).empty());
    EXPECT_EQ(inbox(account).size(), 2u);
}

TEST_F(AutoreplyStoreTest, RacingDeliveriesReplyOnce) {
    const auto account = new_account();
    away(account);
    const auto sender = unique_address("racer");
    constexpr int kWriters = 8;
    std::vector<std::thread> threads;
    std::mutex mutex;
    int replies = 0;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            boost::asio::io_context own;
            storage::Pool own_pool(own.get_executor(), storage::PoolOptions{test_dsn(), 1});
            storage::Mailstore own_store(own_pool);
            const auto raw = sample_message("race-" + std::to_string(w) + unique_address());
            const auto parsed = mime::parse(raw);
            const storage::DeliveryTarget t{account.id, "INBOX"};
            storage::AutoReplyRequest request;
            request.sender = sender;
            request.compose = [](const storage::AutoReplySetting&) -> std::optional<std::string> {
                return std::string("Subject: Away\r\n\r\nBack soon.\r\n");
            };
            auto r = test::run(
                own, own_store.deliver(
                         storage::IncomingMessage{raw, parsed, 0, {}}, {&t, 1}, nullptr, &request
                     )
            );
            ASSERT_TRUE(r) << r.error().message();
            std::lock_guard lock(mutex);
            replies += static_cast<int>(request.replied.size());
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(replies, 1);
    EXPECT_EQ(queued_replies(account).size(), 1u);
    EXPECT_EQ(inbox(account).size(), static_cast<std::size_t>(kWriters));
}

}  // namespace
}  // namespace govmail::test
