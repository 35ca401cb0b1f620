// The registry of a daemon's sessions: ending one account's sessions reaches those and only
// those, wherever they wait; shutdown ends every session, and any that starts after it.

#include "runtime/session_registry.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace govmail {
namespace {

class SessionRegistryTest : public ::testing::Test {
protected:
    std::shared_ptr<SessionWatch> session(SessionRegistry::AccountId account) {
        auto watch = std::make_shared<SessionWatch>(ioc.get_executor());
        registry.add(watch);
        if (account != 0) {
            registry.logged_in(watch, account);
        }
        return watch;
    }

    boost::asio::io_context ioc;
    SessionRegistry registry;
};

// Waits on WATCH as a session does, and records when the wait returned.
boost::asio::awaitable<void> wait_on(std::shared_ptr<SessionWatch> watch, bool* returned) {
    co_await watch->wait(false);
    *returned = true;
}

TEST_F(SessionRegistryTest, EndingAnAccountEndsOnlyItsSessions) {
    const auto first = session(7);
    const auto second = session(7);
    const auto other = session(8);
    const auto anonymous = session(0);
    bool first_woke = false;
    bool other_woke = false;
    boost::asio::co_spawn(ioc, wait_on(first, &first_woke), boost::asio::detached);
    boost::asio::co_spawn(ioc, wait_on(other, &other_woke), boost::asio::detached);
    ioc.poll();
    EXPECT_FALSE(first_woke);

    registry.end_account(7);
    ioc.poll();
    EXPECT_TRUE(first_woke);
    EXPECT_FALSE(other_woke);
    EXPECT_EQ(first->end_reason(), SessionEnd::AccountDisabled);
    EXPECT_EQ(second->end_reason(), SessionEnd::AccountDisabled);
    EXPECT_FALSE(other->end_reason());
    EXPECT_FALSE(anonymous->end_reason());
    EXPECT_EQ(registry.accounts(), (std::vector<SessionRegistry::AccountId>{7, 8}));
}

TEST_F(SessionRegistryTest, RemovedSessionsAreForgotten) {
    const auto watch = session(7);
    registry.remove(watch);
    registry.end_account(7);
    ioc.poll();
    EXPECT_FALSE(watch->end_reason());
    EXPECT_TRUE(registry.accounts().empty());
}

TEST_F(SessionRegistryTest, ShutdownEndsEverySessionAndLaterOnes) {
    const auto logged_in = session(7);
    const auto anonymous = session(0);
    registry.shutdown();
    const auto late = session(0);
    registry.end_account(7);  // the first reason given wins
    ioc.poll();
    for (const auto& watch : {logged_in, anonymous, late}) {
        EXPECT_EQ(watch->end_reason(), SessionEnd::Shutdown);
    }
}

TEST_F(SessionRegistryTest, AChangeWakesOnlyAWaitThatAsksForChanges) {
    const auto watch = session(7);
    bool woke = false;
    boost::asio::co_spawn(ioc, wait_on(watch, &woke), boost::asio::detached);
    watch->notify_change();
    ioc.poll();
    EXPECT_FALSE(woke);
    EXPECT_TRUE(watch->take_changed());
    EXPECT_FALSE(watch->take_changed());
    registry.end_account(7);
    ioc.poll();
    EXPECT_TRUE(woke);
}

}  // namespace
}  // namespace govmail
