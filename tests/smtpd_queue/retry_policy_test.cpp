#include "smtpd/queue/retry_policy.hpp"

#include <gtest/gtest.h>

namespace govmail::smtpd {
namespace {

using std::chrono::seconds;
using storage::RecipientState;

const RetrySchedule kDefault{};  // 1 min, doubling, capped at 1 h, give up after 5 days

TEST(RetryDelay, DoublesFromTheInitialDelayUpToTheCap) {
    const std::vector<int> want{60, 120, 240, 480, 960, 1920, 3600, 3600};
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(retry_delay(kDefault, static_cast<int>(i + 1)), seconds(want[i])) << i + 1;
    }
    EXPECT_EQ(retry_delay(kDefault, 1000), seconds(3600));
}

TEST(RetryDelay, ShortScheduleForTests) {
    const RetrySchedule quick{seconds(1), seconds(3), seconds(60)};
    EXPECT_EQ(retry_delay(quick, 1), seconds(1));
    EXPECT_EQ(retry_delay(quick, 2), seconds(2));
    EXPECT_EQ(retry_delay(quick, 3), seconds(3));
    EXPECT_EQ(retry_delay(quick, 30), seconds(3));
}

TEST(Decide, AcceptedIsDelivered) {
    const auto d = decide(kDefault, AttemptOutcome::Accepted, 1, 0, 10);
    EXPECT_EQ(d.state, RecipientState::Delivered);
}

TEST(Decide, PermanentFailsAtOnce) {
    const auto d = decide(kDefault, AttemptOutcome::Permanent, 1, 0, 10);
    EXPECT_EQ(d.state, RecipientState::Failed);
    EXPECT_FALSE(d.expired);
}

TEST(Decide, TransientIsRetriedUntilGiveUp) {
    const std::int64_t queued = 1'700'000'000;
    const auto early = decide(kDefault, AttemptOutcome::Transient, 3, queued, queued + 600);
    EXPECT_EQ(early.state, RecipientState::Pending);
    EXPECT_EQ(early.retry_after, seconds(240));

    const auto last =
        decide(kDefault, AttemptOutcome::Transient, 130, queued, queued + 5 * 86400 - 1);
    EXPECT_EQ(last.state, RecipientState::Pending);

    const auto expired =
        decide(kDefault, AttemptOutcome::Transient, 131, queued, queued + 5 * 86400);
    EXPECT_EQ(expired.state, RecipientState::Failed);
    EXPECT_TRUE(expired.expired);
}

}  // namespace
}  // namespace govmail::smtpd
