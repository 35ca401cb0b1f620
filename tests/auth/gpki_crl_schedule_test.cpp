// The CRL refresher's schedule (auth/gpki_crl_schedule.hpp): when each distribution point is
// fetched again after a CRL was installed or a fetch failed, and how near expiry a CRL is.

#include "auth/gpki_crl_schedule.hpp"

#include <gtest/gtest.h>

namespace govmail::auth {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const SystemTime kNow = std::chrono::system_clock::from_time_t(1'800'000'000);

GpkiConfig schedule() {
    GpkiConfig config;
    config.crl_refresh_interval = hours(1);
    config.crl_refresh_percent = 50;
    config.crl_retry_min = seconds(30);
    config.crl_retry_max = minutes(15);
    return config;
}

TEST(CrlRefreshPlan, APointNotPlannedYetIsDueAtOnce) {
    const CrlRefreshPlan plan(schedule());
    EXPECT_EQ(
        plan.due({"http://a", "ldap://b"}, kNow), (std::vector<std::string>{"http://a", "ldap://b"})
    );
}

TEST(CrlRefreshPlan, ALongLivedCrlIsFetchedAgainAfterTheInterval) {
    CrlRefreshPlan plan(schedule());
    plan.installed("http://a", kNow, kNow + hours(24 * 7));
    EXPECT_TRUE(plan.due({"http://a"}, kNow + minutes(59)).empty());
    EXPECT_EQ(plan.due({"http://a"}, kNow + hours(1)).size(), 1U);
    EXPECT_EQ(plan.next_due(kNow), kNow + hours(1));
}

TEST(CrlRefreshPlan, AShortLivedCrlIsFetchedAgainAtItsShareOfTheTimeLeft) {
    CrlRefreshPlan plan(schedule());
    plan.installed("http://a", kNow, kNow + minutes(20));  // half of 20 minutes < 1 hour
    EXPECT_EQ(plan.next_due(kNow), kNow + minutes(10));
    EXPECT_TRUE(plan.due({"http://a"}, kNow + minutes(10) - seconds(1)).empty());
    EXPECT_EQ(plan.due({"http://a"}, kNow + minutes(10)).size(), 1U);
}

TEST(CrlRefreshPlan, ACrlAboutToExpireIsNotFetchedSoonerThanTheShortestRetry) {
    CrlRefreshPlan plan(schedule());
    plan.installed("http://a", kNow, kNow + seconds(10));
    EXPECT_EQ(plan.next_due(kNow), kNow + seconds(30));
    plan.installed("http://b", kNow, kNow - hours(1));  // the CA serves an expired CRL
    EXPECT_EQ(plan.next_due(kNow), kNow + seconds(30));
}

TEST(CrlRefreshPlan, ACrlWithoutNextUpdateIsFetchedAfterTheInterval) {
    CrlRefreshPlan plan(schedule());
    plan.installed("http://a", kNow, std::nullopt);
    EXPECT_EQ(plan.next_due(kNow), kNow + hours(1));
}

TEST(CrlRefreshPlan, FailuresInARowBackOffUpToTheLongestRetryAndASuccessResetsIt) {
    CrlRefreshPlan plan(schedule());
    auto now = kNow;
    std::vector<seconds> pauses;
    for (int i = 0; i < 7; ++i) {
        plan.failed("ldap://down", now);
        const auto next = plan.next_due(now);
        pauses.push_back(std::chrono::duration_cast<seconds>(next - now));
        now = next;
    }
    EXPECT_EQ(
        pauses, (std::vector<seconds>{
                    seconds(30), seconds(60), seconds(120), seconds(240), seconds(480),
                    seconds(900), seconds(900)})
    );
    plan.installed("ldap://down", now, now + hours(24));
    plan.failed("ldap://down", now);
    EXPECT_EQ(plan.next_due(now), now + seconds(30));
}

TEST(CrlRefreshPlan, OnePointsPlanLeavesTheOthersAlone) {
    CrlRefreshPlan plan(schedule());
    plan.installed("http://a", kNow, kNow + hours(24));
    EXPECT_EQ(plan.due({"http://a", "http://new"}, kNow), (std::vector<std::string>{"http://new"}));
}

TEST(CrlFreshness, CurrentExpiringAndExpired) {
    const seconds day = hours(24);
    EXPECT_EQ(crl_freshness(kNow, kNow + hours(25), day), CrlFreshness::Current);
    EXPECT_EQ(crl_freshness(kNow, kNow + hours(24), day), CrlFreshness::Expiring);
    EXPECT_EQ(crl_freshness(kNow, kNow + seconds(1), day), CrlFreshness::Expiring);
    EXPECT_EQ(crl_freshness(kNow, kNow, day), CrlFreshness::Expired);
    EXPECT_EQ(crl_freshness(kNow, std::nullopt, day), CrlFreshness::Current);
}

}  // namespace
}  // namespace govmail::auth
