// Account events across processes: a state change away from 'active' (or a deletion) notifies
// the account channel at commit, whatever statement made it; a second connection hears it, and
// the re-check after a reconnection finds exactly the accounts that may not log in. The login
// rule is the same in SQL and C++.

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "storage/account_admin_store.hpp"
#include "storage/account_events.hpp"
#include "storage/account_state.hpp"
#include "storage/pg/query.hpp"
#include "tests/storage/storage_fixture.hpp"
#include "tests/support/set_up_audit.hpp"

namespace govmail::test {
namespace {

class AccountEventsTest : public StorageTest {
protected:
    // Listens on the account channel; returns once listening.
    void listen() {
        boost::asio::co_spawn(
            ioc,
            storage::listen_for_account_events(
                pool, [this](storage::AccountId id) { heard.push_back(id); },
                [this] { listening = true; }
            ),
            boost::asio::detached
        );
        ASSERT_TRUE(run_until(ioc, [this] { return listening; }));
    }

    // Runs SQL (no parameters, values inlined by the test) for its effect.
    void exec(const std::string& sql) {
        ok([&]() -> boost::asio::awaitable<Result<void>> {
            auto conn = co_await pool.acquire();
            if (!conn) {
                co_return conn.error();
            }
            if (auto r = co_await (*conn)->execute_script(sql); !r) {
                co_return r.error();
            }
            co_return Result<void>{};
        }());
    }

    bool heard_of(storage::AccountId id) {
        return std::find(heard.begin(), heard.end(), id) != heard.end();
    }

    storage::AccountAdminStore admin{pool};
    std::vector<storage::AccountId> heard;
    bool listening = false;
};

TEST_F(AccountEventsTest, SuspendingNotifiesAndResumingDoesNot) {
    const auto suspended = new_account();
    const auto resumed = new_account();
    ok(admin.set_state(resumed.id, storage::AccountState::Suspended, set_up_entry()));
    listen();
    ok(admin.set_state(suspended.id, storage::AccountState::Suspended, set_up_entry()));
    ok(admin.set_state(resumed.id, storage::AccountState::Active, set_up_entry()));
    ASSERT_TRUE(run_until(ioc, [&] { return heard_of(suspended.id); }));
    // Notifications arrive in commit order: the resume committed after the suspension.
    ok(admin.set_state(suspended.id, storage::AccountState::Locked, set_up_entry()));
    ASSERT_TRUE(run_until(ioc, [&] {
        return std::count(heard.begin(), heard.end(), suspended.id) == 2;
    }));
    // Other tests share the database and its channel: only these two accounts matter here.
    EXPECT_FALSE(heard_of(resumed.id));
}

TEST_F(AccountEventsTest, AnyStatementThatDisablesAnAccountNotifies) {
    // No store sends it: the trigger on accounts does, for a plain UPDATE or DELETE too.
    const auto locked = new_account();
    const auto reactivated = new_account();
    const auto deleted = new_account();
    listen();
    exec(
        "UPDATE accounts SET state = 'active' WHERE account_id = " + std::to_string(reactivated.id)
    );
    exec("UPDATE accounts SET state = 'locked' WHERE account_id = " + std::to_string(locked.id));
    exec("DELETE FROM accounts WHERE account_id = " + std::to_string(deleted.id));
    ASSERT_TRUE(run_until(ioc, [&] { return heard_of(locked.id) && heard_of(deleted.id); }));
    EXPECT_FALSE(heard_of(reactivated.id));
}

TEST_F(AccountEventsTest, MayLogInIsOneRuleInSqlAndCpp) {
    static constexpr storage::Statement kMayLogIn{
        "test_account_may_log_in", "SELECT account_may_log_in($1)::text"};
    for (const auto state :
         {storage::AccountState::Active, storage::AccountState::Suspended,
          storage::AccountState::Locked, storage::AccountState::Retired}) {
        const auto name = storage::account_state_name(state);
        const auto r = ok(storage::run_statement(pool, kMayLogIn, storage::Params(name)));
        EXPECT_EQ(r.text(0, 0) == "true", storage::may_log_in(state)) << name;
    }
}

TEST_F(AccountEventsTest, DisabledAccountsAreTheInactiveAndTheGone) {
    const auto active = new_account();
    const auto suspended = new_account();
    const auto retired = new_account();
    ok(admin.set_state(suspended.id, storage::AccountState::Suspended, set_up_entry()));
    ok(admin.set_state(retired.id, storage::AccountState::Retired, set_up_entry()));
    const storage::AccountId gone = retired.id + 1'000'000;
    auto disabled =
        ok(storage::disabled_accounts(pool, {active.id, suspended.id, retired.id, gone}));
    std::sort(disabled.begin(), disabled.end());
    EXPECT_EQ(disabled, (std::vector<storage::AccountId>{suspended.id, retired.id, gone}));
    EXPECT_TRUE(ok(storage::disabled_accounts(pool, {})).empty());
}

TEST(AccountEventPayload, ParsesOnlyAPositiveDecimalId) {
    EXPECT_EQ(storage::parse_account_event("42"), 42);
    for (const char* bad : {"", "0", "-3", "4x", " 4", "42 ", "99999999999999999999"}) {
        EXPECT_FALSE(storage::parse_account_event(bad)) << bad;
    }
}

}  // namespace
}  // namespace govmail::test
