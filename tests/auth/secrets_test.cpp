// Generated secrets and the app password digest.

#include "auth/secrets.hpp"

#include <gtest/gtest.h>

#include <set>

namespace govmail::auth {
namespace {

TEST(Secrets, HaveFiveGroupsOfFourFromTheUnambiguousAlphabet) {
    const auto secret = generate_secret();
    ASSERT_EQ(secret.size(), 24u);
    for (std::size_t i = 0; i < secret.size(); ++i) {
        if (i % 5 == 4) {
            EXPECT_EQ(secret[i], '-');
        } else {
            EXPECT_NE(
                std::string_view("abcdefghijkmnpqrstuvwxyz23456789").find(secret[i]),
                std::string_view::npos
            ) << secret;
        }
    }
}

TEST(Secrets, DoNotRepeat) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(seen.insert(generate_secret()).second);
    }
}

TEST(AppPasswordDigest, IgnoresCaseSpacesAndDashes) {
    const auto digest = app_password_digest("abcd-efgh-jkmn-pqrs-tuvw");
    EXPECT_EQ(digest.size(), 32u);
    EXPECT_EQ(app_password_digest("ABCD EFGH JKMN PQRS TUVW"), digest);
    EXPECT_EQ(app_password_digest("abcdefghjkmnpqrstuvw"), digest);
    EXPECT_NE(app_password_digest("abcd-efgh-jkmn-pqrs-tuvx"), digest);
}

}  // namespace
}  // namespace govmail::auth
