// The pending sign-ins of the SMS-code step: an id is good once, for its lifetime, for a
// bounded number of codes, and only so many wait at a time.

#include "portal/pending_signins.hpp"

#include <gtest/gtest.h>

namespace govmail::portal {
namespace {

TEST(PendingSignIns, AnIdIsTakenOnceAndBoundToItsAccount) {
    PendingSignIns pending(PendingSignInLimits{});
    const auto id = pending.start(42);
    ASSERT_TRUE(id);
    EXPECT_EQ(id->size(), 64U);
    EXPECT_FALSE(pending.take("not an id"));
    EXPECT_FALSE(pending.take(""));
    const auto taken = pending.take(*id);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->account, 42);
    EXPECT_FALSE(pending.take(*id));  // used
}

TEST(PendingSignIns, PutBackCountsAttemptsUpToTheCap) {
    PendingSignIns pending(PendingSignInLimits{std::chrono::seconds(300), 3, 10});
    const auto id = *pending.start(7);
    auto taken = pending.take(id);
    EXPECT_TRUE(pending.put_back(id, *taken));  // 1 typed
    taken = pending.take(id);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->attempts, 1U);
    EXPECT_TRUE(pending.put_back(id, *taken));  // 2 typed
    taken = pending.take(id);
    EXPECT_FALSE(pending.put_back(id, *taken));  // the third was the last
    EXPECT_FALSE(pending.take(id));
}

TEST(PendingSignIns, ExpiredIdsFailAndMakeRoom) {
    PendingSignIns pending(PendingSignInLimits{std::chrono::seconds(0), 3, 1});
    const auto id = pending.start(1);
    ASSERT_TRUE(id);
    EXPECT_FALSE(pending.take(*id));  // expired at once
    EXPECT_TRUE(pending.start(2));    // room again
    EXPECT_TRUE(pending.start(3));    // the expired one is dropped to make room
    PendingSignIns full(PendingSignInLimits{std::chrono::seconds(300), 3, 1});
    EXPECT_TRUE(full.start(1));
    EXPECT_FALSE(full.start(2));  // the one waiting is live
}

}  // namespace
}  // namespace govmail::portal
