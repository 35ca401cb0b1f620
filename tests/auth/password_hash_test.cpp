// Argon2id hashing: PHC format, salts, verification, malformed input, and the async hasher.

#include "auth/password_hash.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "auth/password_hasher.hpp"
#include "tests/support/async.hpp"

namespace govmail::auth {
namespace {

// Cheap parameters: the tests check behaviour, not cost.
constexpr Argon2Params kFast{1, 1024, 1};

TEST(PasswordHash, IsArgon2idPhcStringWithTheGivenParameters) {
    const auto phc = hash_password("correct horse", kFast);
    EXPECT_TRUE(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$")) << phc;
}

TEST(PasswordHash, DefaultsAreRfc9106SecondRecommendation) {
    const auto params = argon2_params(AuthConfig{});
    EXPECT_EQ(params.time_cost, 3u);
    EXPECT_EQ(params.memory_kib, 65536u);
    EXPECT_EQ(params.parallelism, 1u);
}

TEST(PasswordHash, SaltDiffersEveryTime) {
    EXPECT_NE(hash_password("same", kFast), hash_password("same", kFast));
}

TEST(PasswordHash, VerifiesOnlyTheRightPassword) {
    const auto phc = hash_password("비밀번호 correct", kFast);
    EXPECT_TRUE(verify_password(phc, "비밀번호 correct"));
    EXPECT_FALSE(verify_password(phc, "비밀번호 correcT"));
    EXPECT_FALSE(verify_password(phc, ""));
    EXPECT_FALSE(verify_password(phc, std::string("비밀번호 correct\0", 21)));
}

TEST(PasswordHash, OldParametersStillVerifyAfterACostChange) {
    const auto phc = hash_password("pw", kFast);
    EXPECT_TRUE(verify_password(phc, "pw"));  // parameters come from the string
}

TEST(PasswordHash, MalformedOrForeignHashesNeverVerify) {
    for (const std::string phc :
         {"", "$argon2id$", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
          "$argon2id$v=19$m=1024,t=1,p=1$!!!$!!!", "plaintext"}) {
        EXPECT_FALSE(verify_password(phc, "plaintext")) << phc;
    }
}

TEST(PasswordHasher, HashesAndVerifiesOffTheCallingThread) {
    boost::asio::io_context ioc;
    PasswordHasher hasher(kFast, 2);
    const auto phc = test::run(ioc, hasher.hash("pw"));
    EXPECT_TRUE(test::run(ioc, hasher.verify(phc, "pw")));
    EXPECT_FALSE(test::run(ioc, hasher.verify(phc, "wrong")));
}

}  // namespace
}  // namespace govmail::auth
