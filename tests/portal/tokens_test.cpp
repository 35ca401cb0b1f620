#include "portal/tokens.hpp"

#include <gtest/gtest.h>

namespace govmail::portal {
namespace {

TEST(Tokens, RandomTokensHave256BitsAndDiffer) {
    const auto a = random_token();
    const auto b = random_token();
    EXPECT_EQ(a.size(), 64u);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(a, b);
}

TEST(Tokens, DigestIsSha256) {
    EXPECT_EQ(token_digest("abc").size(), 32u);
    EXPECT_EQ(token_digest("abc"), token_digest("abc"));
    EXPECT_NE(token_digest("abc"), token_digest("abd"));
}

TEST(Tokens, CsrfCheckNeedsTheExactToken) {
    const auto t = random_token();
    EXPECT_TRUE(token_matches(t, t));
    EXPECT_FALSE(token_matches(t, ""));
    EXPECT_FALSE(token_matches(t, t.substr(1)));
    EXPECT_FALSE(token_matches(t, random_token()));
    EXPECT_FALSE(token_matches("", ""));
}

}  // namespace
}  // namespace govmail::portal
