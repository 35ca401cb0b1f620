// How many people one directory sync may retire.

#include "rules/directory_retire_guard.hpp"

#include <gtest/gtest.h>

namespace govmail::rules {
namespace {

TEST(RetireGuard, PercentOfTheDirectoryRoundedDownAtLeastOne) {
    const RetireLimits limits{5, 0};
    EXPECT_FALSE(check_retire_limits(1, 3, limits));  // one may always go
    EXPECT_FALSE(check_retire_limits(2, 40, limits));
    const auto breach = check_retire_limits(20, 40, limits);
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->retiring, 20u);
    EXPECT_EQ(breach->in_directory, 40u);
    EXPECT_DOUBLE_EQ(breach->percent, 50.0);
    EXPECT_EQ(breach->allowed, 2u);
    EXPECT_TRUE(check_retire_limits(2, 3, limits));
}

TEST(RetireGuard, CountCapsTheShareOfALargeDirectory) {
    const RetireLimits limits{5, 100};
    EXPECT_FALSE(check_retire_limits(100, 100000, limits));
    const auto breach = check_retire_limits(101, 100000, limits);
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->allowed, 100u);
}

TEST(RetireGuard, AnEmptyDirectoryCountsAsAllOfIt) {
    const auto breach = check_retire_limits(2, 0, RetireLimits{});
    ASSERT_TRUE(breach);
    EXPECT_DOUBLE_EQ(breach->percent, 100.0);
}

}  // namespace
}  // namespace govmail::rules
