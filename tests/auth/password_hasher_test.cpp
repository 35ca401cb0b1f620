// The password hasher under a storm of logins: first come first served, each caller resumed
// as soon as its own hash is done (not when the last one is), a full queue refused at once,
// and calls still waiting at shutdown failed rather than left hanging.

#include "auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <vector>

#include "tests/support/async.hpp"

namespace govmail::auth {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Costly enough (tens of milliseconds) that the completion times of a storm show batches.
constexpr Argon2Params kStormCost{1, 32 * 1024, 1};

enum class Outcome { Verified, Refused, Busy };

struct Completion {
    std::size_t job;  // submission order
    Outcome outcome;
    Clock::duration after;  // since the storm began
};

// JOBS verifications of the right password, submitted in order on IOC; the completions
// in the order the callers resumed.
std::vector<Completion> storm(asio::io_context& ioc, PasswordHasher& hasher, std::size_t jobs) {
    const auto phc = hash_password("pw", kStormCost);
    std::vector<Completion> done;
    const auto start = Clock::now();
    for (std::size_t job = 0; job < jobs; ++job) {
        asio::co_spawn(
            ioc,
            [&, job]() -> asio::awaitable<void> {
                auto outcome = Outcome::Busy;
                try {
                    outcome =
                        co_await hasher.verify(phc, "pw") ? Outcome::Verified : Outcome::Refused;
                } catch (const HasherBusy&) {
                }
                done.push_back({job, outcome, Clock::now() - start});
            },
            asio::detached
        );
    }
    EXPECT_TRUE(test::run_until(
        ioc, [&] { return done.size() == jobs; }, 120s
    ));
    return done;
}

TEST(PasswordHasherStorm, EachLoginCompletesWhenItsOwnHashIsDoneInArrivalOrder) {
    asio::io_context ioc;
    PasswordHasher hasher(kStormCost, 2, 100);
    constexpr std::size_t kJobs = 12;  // six rounds of two
    const auto done = storm(ioc, hasher, kJobs);
    ASSERT_EQ(done.size(), kJobs);
    for (std::size_t position = 0; position < kJobs; ++position) {
        EXPECT_EQ(done[position].outcome, Outcome::Verified);
        // Two workers: a job may overtake the one started beside it, never an earlier round.
        const auto displacement =
            static_cast<long>(done[position].job) - static_cast<long>(position);
        EXPECT_LE(std::labs(displacement), 2)
            << "job " << done[position].job << " completed " << position << "th";
    }
    // Spread out as the hashes finish, not one batch when the last one does: ideally the
    // first after a sixth of the time, half of them after half of it.
    const auto last = done.back().after;
    EXPECT_LT(done.front().after, last / 3);
    EXPECT_LT(done[kJobs / 2 - 1].after, last * 3 / 4);
}

TEST(PasswordHasherStorm, AFullQueueIsRefusedAtOnce) {
    asio::io_context ioc;
    PasswordHasher hasher(kStormCost, 1, 2);  // one running, two waiting
    const auto done = storm(ioc, hasher, 6);
    ASSERT_EQ(done.size(), 6u);
    for (std::size_t position = 0; position < 3; ++position) {
        EXPECT_GE(done[position].job, 3u) << "a refusal waited for a hash";
        EXPECT_EQ(done[position].outcome, Outcome::Busy);
    }
    for (std::size_t position = 3; position < 6; ++position) {
        EXPECT_EQ(done[position].job, position - 3);
        EXPECT_EQ(done[position].outcome, Outcome::Verified);
    }
}

TEST(PasswordHasherStorm, ShutdownFailsTheCallsStillWaiting) {
    asio::io_context ioc;
    auto hasher = std::make_unique<PasswordHasher>(kStormCost, 1, 10);
    const auto phc = hash_password("pw", kStormCost);
    std::vector<Outcome> done;
    for (int job = 0; job < 5; ++job) {
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                try {
                    co_await hasher->verify(phc, "pw");
                    done.push_back(Outcome::Verified);
                } catch (const HasherBusy&) {
                    done.push_back(Outcome::Busy);
                }
            },
            asio::detached
        );
    }
    ioc.poll();  // every call queued, none finished
    hasher.reset();
    ASSERT_TRUE(test::run_until(ioc, [&] { return done.size() == 5; }));
    EXPECT_GE(std::count(done.begin(), done.end(), Outcome::Busy), 4);
}

// The worker counts as free before its caller hears the outcome: a login that hashes again at
// once (a password, then password + code) is never refused for a worker that has finished.
TEST(PasswordHasherStorm, ACallMadeTheMomentTheLastEndedFindsTheWorkerFree) {
    constexpr Argon2Params kCheap{1, 8, 1};
    const auto phc = hash_password("pw", kCheap);
    PasswordHasher hasher(kCheap, 1, 0);
    asio::io_context ioc;
    int verified = 0;
    int busy = 0;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 3000; ++i) {
                try {
                    verified += co_await hasher.verify(phc, "pw") ? 1 : 0;
                } catch (const HasherBusy&) {
                    ++busy;
                }
            }
        },
        asio::detached
    );
    ioc.run();
    EXPECT_EQ(busy, 0);
    EXPECT_EQ(verified, 3000);
}

}  // namespace
}  // namespace govmail::auth
