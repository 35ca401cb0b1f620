// Argon2id hashing: PHC format, salts, verification, malformed input, and the async hasher.

#include "auth/password_hash.hpp"

#include <argon2.h>
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

// A hash stored under the old cost verifies after the configured cost has changed: the
// parameters come from the stored string. Recomputing it under the configured parameters
// gives another hash, so a verifier that used them would refuse the right password.
TEST(PasswordHash, OldParametersStillVerifyAfterACostChange) {
    constexpr Argon2Params kNewCost{2, 2048, 1};
    boost::asio::io_context ioc;
    PasswordHasher old_hasher(kFast, 1, 4);
    const auto old_phc = test::run(ioc, old_hasher.hash("pw"));
    ASSERT_TRUE(old_phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$")) << old_phc;

    PasswordHasher new_hasher(kNewCost, 1, 4);  // the cost has changed since
    const auto new_phc = test::run(ioc, new_hasher.hash("pw"));
    EXPECT_TRUE(new_phc.starts_with("$argon2id$v=19$m=2048,t=2,p=1$")) << new_phc;
    EXPECT_TRUE(test::run(ioc, new_hasher.verify(old_phc, "pw")));
    EXPECT_FALSE(test::run(ioc, new_hasher.verify(old_phc, "pW")));

    auto under_new_cost = old_phc;
    under_new_cost.replace(
        0, std::string_view("$argon2id$v=19$m=1024,t=1,p=1").size(), "$argon2id$v=19$m=2048,t=2,p=1"
    );
    EXPECT_FALSE(test::run(ioc, new_hasher.verify(under_new_cost, "pw")));
}

// libargon2's own encoding: how every hash stored before libsodium was made.
std::string libargon2_hash(std::string_view password, const Argon2Params& params) {
    const std::string salt = "sixteen byte slt";
    std::string encoded(256, '\0');
    const int rc = argon2id_hash_encoded(
        params.time_cost, params.memory_kib, params.parallelism, password.data(), password.size(),
        salt.data(), salt.size(), 32, encoded.data(), encoded.size()
    );
    EXPECT_EQ(rc, ARGON2_OK);
    return encoded.substr(0, encoded.find('\0'));
}

TEST(PasswordHash, HashesFromLibargon2StillVerify) {
    for (const Argon2Params params : {kFast, Argon2Params{2, 2048, 1}, Argon2Params{1, 1024, 2}}) {
        const auto phc = libargon2_hash("비밀번호 old", params);
        EXPECT_TRUE(verify_password(phc, "비밀번호 old")) << phc;
        EXPECT_FALSE(verify_password(phc, "비밀번호 olD")) << phc;
    }
}

TEST(PasswordHash, Libargon2VerifiesTheNewHashes) {
    for (const Argon2Params params : {kFast, Argon2Params{1, 1024, 2}}) {
        const auto phc = hash_password("pw", params);
        EXPECT_EQ(argon2id_verify(phc.c_str(), "pw", 2), ARGON2_OK) << phc;
        EXPECT_EQ(argon2id_verify(phc.c_str(), "pW", 2), ARGON2_VERIFY_MISMATCH) << phc;
    }
}

TEST(PasswordHash, MalformedOrForeignHashesNeverVerify) {
    for (const std::string phc :
         {"", "$argon2id$", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
          "$argon2id$v=19$m=1024,t=1,p=1$!!!$!!!", "plaintext"}) {
        EXPECT_FALSE(verify_password(phc, "plaintext")) << phc;
    }
}

TEST(PasswordHash, HashWithTrailingBytesAfterANulNeverVerifies) {
    const auto phc = hash_password("pw", kFast);
    EXPECT_FALSE(verify_password(phc + std::string("\0tail", 5), "pw"));
}

TEST(PasswordHasher, HashesAndVerifiesOffTheCallingThread) {
    boost::asio::io_context ioc;
    PasswordHasher hasher(kFast, 2, 4);
    const auto phc = test::run(ioc, hasher.hash("pw"));
    EXPECT_TRUE(test::run(ioc, hasher.verify(phc, "pw")));
    EXPECT_FALSE(test::run(ioc, hasher.verify(phc, "wrong")));
}

}  // namespace
}  // namespace govmail::auth
