// The delay before answering a failed login: doubling per failure, capped.

#include <gtest/gtest.h>

#include "auth/login_throttle.hpp"

namespace govmail::auth {
namespace {

using std::chrono::milliseconds;

TEST(FailureDelay, DoublesPerFailureUpToTheCap) {
    AuthConfig config;
    config.failure_delay = milliseconds(250);
    config.max_failure_delay = milliseconds(3000);
    const std::vector<std::pair<std::uint32_t, milliseconds>> table{
        {0, milliseconds(0)},    {1, milliseconds(250)},          {2, milliseconds(500)},
        {3, milliseconds(1000)}, {4, milliseconds(2000)},         {5, milliseconds(3000)},
        {6, milliseconds(3000)}, {1'000'000, milliseconds(3000)},
    };
    for (const auto& [failures, expected] : table) {
        EXPECT_EQ(failure_delay(config, failures), expected) << failures;
    }
}

TEST(FailureDelay, ZeroBaseMeansNoDelay) {
    AuthConfig config;
    config.failure_delay = milliseconds(0);
    EXPECT_EQ(failure_delay(config, 50), milliseconds(0));
}

}  // namespace
}  // namespace govmail::auth
