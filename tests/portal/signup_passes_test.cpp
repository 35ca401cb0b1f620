// Signup passes: a OnePass-vouched person's short-lived right to file a signup request.

#include "portal/signup_passes.hpp"

#include <gtest/gtest.h>

namespace govmail::portal {
namespace {

using Clock = SignupPasses::Clock;

SignupPass pass_of(std::string employee_no) {
    return SignupPass{std::move(employee_no), std::nullopt};
}

// The employee number of PASS, if any.
std::optional<std::string> holder(const std::optional<SignupPass>& pass) {
    return pass ? std::optional(pass->employee_no) : std::nullopt;
}

TEST(SignupPasses, APassNamesItsPersonUntilItExpires) {
    SignupPasses passes;
    const auto start = Clock::now();
    const auto token = passes.issue(pass_of("E001000"), start);
    EXPECT_EQ(token.size(), 64u);
    EXPECT_EQ(holder(passes.find(token, start)), "E001000");
    EXPECT_EQ(
        holder(passes.find(token, start + kSignupPassLifetime - std::chrono::seconds(1))), "E001000"
    );
    EXPECT_FALSE(passes.find(token, start + kSignupPassLifetime));
}

TEST(SignupPasses, APassKeepsTheCertificateOfACertificateSignIn) {
    SignupPasses passes;
    const storage::SignupCertificate certificate{"CN=CA", "1f", std::string(32, 'x'), "PEM"};
    const auto found = passes.find(passes.issue(SignupPass{"E001000", certificate}));
    ASSERT_TRUE(found);
    ASSERT_TRUE(found->certificate);
    EXPECT_EQ(found->certificate->serial, "1f");
    EXPECT_EQ(found->certificate->pem, "PEM");
    EXPECT_FALSE(passes.find(passes.issue(pass_of("E001000")))->certificate);
}

TEST(SignupPasses, OnlyIssuedTokensAreFound) {
    SignupPasses passes;
    const auto token = passes.issue(pass_of("E001000"));
    EXPECT_FALSE(passes.find(""));
    EXPECT_FALSE(passes.find(std::string(64, '0')));
    EXPECT_NE(passes.issue(pass_of("E001000")), token);  // each pass is new
    passes.remove(token);
    EXPECT_FALSE(passes.find(token));
}

TEST(SignupPasses, TheOldestPassGoesWhenTheyAreTooMany) {
    SignupPasses passes;
    const auto start = Clock::now();
    const auto oldest = passes.issue(pass_of("first"), start);
    const auto second = passes.issue(pass_of("second"), start + std::chrono::milliseconds(1));
    for (std::size_t i = 2; i < SignupPasses::kMaxPasses; ++i) {
        passes.issue(pass_of("more"), start + std::chrono::milliseconds(2));
    }
    EXPECT_EQ(holder(passes.find(oldest, start)), "first");
    passes.issue(pass_of("one too many"), start + std::chrono::milliseconds(3));
    EXPECT_FALSE(passes.find(oldest, start));
    EXPECT_EQ(holder(passes.find(second, start)), "second");
}

}  // namespace
}  // namespace govmail::portal
