// The ManageSieve script an account keeps next to its away reply: one per account,
// activating it writes the away reply, deactivating switches the reply off, and the active
// script cannot be deleted.

#include "storage/autoreply_store.hpp"
#include "storage/pg/errc.hpp"
#include "storage/sieve_store.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

class SieveStoreTest : public StorageTest {
protected:
    storage::SieveStore sieve{pool};
    storage::AutoReplyStore autoreplies{pool};

    template <class T>
    boost::system::error_code error_of(boost::asio::awaitable<Result<T>> task) {
        auto result = run(std::move(task));
        EXPECT_FALSE(result);
        return result ? boost::system::error_code{} : result.error();
    }
};

TEST_F(SieveStoreTest, ActivatingWritesTheAwayReplyAndDeactivatingSwitchesItOff) {
    const auto account = new_account();
    EXPECT_EQ(error_of(sieve.find(account.id)), make_error_code(storage::Errc::NotFound));
    ok(sieve.put(account.id, "away", "require \"vacation\"; vacation \"x\";"));
    auto script = ok(sieve.find(account.id));
    EXPECT_EQ(script.name, "away");
    EXPECT_EQ(script.content, "require \"vacation\"; vacation \"x\";");
    EXPECT_FALSE(script.active);

    storage::AutoReplySetting setting;
    setting.account = account.id;
    setting.subject = "Away";
    setting.body = "Back soon.";
    setting.starts_on = "2026-07-01";
    setting.period_days = 3;
    ok(sieve.activate(setting));
    EXPECT_TRUE(ok(sieve.find(account.id)).active);
    const auto stored = ok(autoreplies.find(account.id));
    EXPECT_TRUE(stored.enabled);
    EXPECT_EQ(stored.subject, "Away");
    EXPECT_EQ(stored.body, "Back soon.");
    EXPECT_EQ(stored.starts_on, "2026-07-01");
    EXPECT_FALSE(stored.ends_on);
    EXPECT_EQ(stored.period_days, 3);
    // The active script stays; deleting it is refused.
    EXPECT_EQ(error_of(sieve.remove(account.id, "away")), make_error_code(storage::Errc::NotFound));

    ok(sieve.deactivate(account.id));
    EXPECT_FALSE(ok(sieve.find(account.id)).active);
    EXPECT_FALSE(ok(autoreplies.find(account.id)).enabled);
    ok(sieve.remove(account.id, "away"));
    EXPECT_EQ(error_of(sieve.find(account.id)), make_error_code(storage::Errc::NotFound));
}

TEST_F(SieveStoreTest, OneScriptPerAccount) {
    const auto account = new_account();
    ok(sieve.put(account.id, "away", "a"));
    ok(sieve.put(account.id, "away", "b"));
    EXPECT_EQ(ok(sieve.find(account.id)).content, "b");
    EXPECT_EQ(
        error_of(sieve.put(account.id, "other", "c")), make_error_code(storage::Errc::Exists)
    );
    ok(sieve.rename(account.id, "away", "other"));
    EXPECT_EQ(ok(sieve.find(account.id)).name, "other");
    EXPECT_EQ(
        error_of(sieve.rename(account.id, "away", "x")), make_error_code(storage::Errc::NotFound)
    );
    // Without a script there is nothing to activate.
    const auto other = new_account();
    storage::AutoReplySetting setting;
    setting.account = other.id;
    setting.body = "x";
    EXPECT_EQ(error_of(sieve.activate(setting)), make_error_code(storage::Errc::NotFound));
}

}  // namespace
}  // namespace govmail::test
