// The credential cache (auth/credential_cache.hpp): successes only, for their TTL, bound to
// the stored hash, bounded in size; safe from several threads.

#include "auth/credential_cache.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace govmail::auth {
namespace {

using namespace std::chrono_literals;

class CredentialCacheTest : public ::testing::Test {
protected:
    CredentialCache::Clock::time_point now{};
    CredentialCache cache{1h, 4, [this] { return now; }};
};

TEST_F(CredentialCacheTest, RemembersASecretForItsHashUntilTheTtlEnds) {
    EXPECT_FALSE(cache.holds("$argon2id$old", "secret"));
    cache.remember("$argon2id$old", "secret");
    EXPECT_TRUE(cache.holds("$argon2id$old", "secret"));
    EXPECT_FALSE(cache.holds("$argon2id$old", "Secret"));
    // A new password (a new stored hash) finds nothing.
    EXPECT_FALSE(cache.holds("$argon2id$new", "secret"));
    // Hash and secret are not merely concatenated.
    EXPECT_FALSE(cache.holds("$argon2id$olds", "ecret"));
    now += 59min;
    EXPECT_TRUE(cache.holds("$argon2id$old", "secret"));
    now += 1min;
    EXPECT_FALSE(cache.holds("$argon2id$old", "secret"));
}

TEST_F(CredentialCacheTest, AFullCacheDropsExpiredEntriesThenEverything) {
    for (int i = 0; i < 3; ++i) {
        cache.remember("phc", "early" + std::to_string(i));
    }
    now += 30min;
    cache.remember("phc", "late");
    now += 31min;  // the early ones have expired, the late one lives
    cache.remember("phc", "new");
    EXPECT_TRUE(cache.holds("phc", "late"));
    EXPECT_TRUE(cache.holds("phc", "new"));
    for (int i = 0; i < 3; ++i) {
        cache.remember("phc", "more" + std::to_string(i));
    }
    // Never more than four entries: the fifth live one emptied the cache first.
    int held = 0;
    for (const auto* secret : {"late", "new", "more0", "more1", "more2"}) {
        held += cache.holds("phc", secret) ? 1 : 0;
    }
    EXPECT_LE(held, 4);
    EXPECT_TRUE(cache.holds("phc", "more2"));
}

TEST(CredentialCache, AZeroTtlRemembersNothing) {
    CredentialCache off(0s, 100);
    off.remember("phc", "secret");
    EXPECT_FALSE(off.holds("phc", "secret"));
}

TEST(CredentialCache, ThreadsShareItSafely) {
    CredentialCache shared(1h, 10000);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&shared, t] {
            for (int i = 0; i < 500; ++i) {
                const auto secret = std::to_string(t) + ":" + std::to_string(i);
                shared.remember("phc", secret);
                EXPECT_TRUE(shared.holds("phc", secret));
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
}

}  // namespace
}  // namespace govmail::auth
