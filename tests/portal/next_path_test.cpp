// The page a sign-in lands on: only local paths of the portal, never an open redirect.

#include "portal/next_path.hpp"

#include <gtest/gtest.h>

namespace govmail::portal {
namespace {

TEST(NextPath, LocalPathsAreKept) {
    EXPECT_EQ(safe_next("/"), "/");
    EXPECT_EQ(safe_next("/away"), "/away");
    const std::string authorize =
        "/oauth/authorize?response_type=code&client_id=mailer&redirect_uri=http%3A%2F%2F127.0.0.1"
        "%3A8080%2Fcb&state=a%2Fb";
    EXPECT_EQ(safe_next(authorize), authorize);
}

TEST(NextPath, EverythingElseLandsOnTheHomePage) {
    for (const std::string_view attack :
         {"", "away", "//evil.example", "//evil.example/path", "https://evil.example",
          "javascript:alert(1)", "/\\evil.example", "\\\\evil.example", "/away\r\nSet-Cookie: x",
          "/a b", "/\x7f", "/\xc3\xa9"}) {
        EXPECT_EQ(safe_next(attack), "/") << attack;
    }
    EXPECT_EQ(safe_next("/" + std::string(kMaxNextLength - 1, 'a')).size(), kMaxNextLength);
    EXPECT_EQ(safe_next("/" + std::string(kMaxNextLength, 'a')), "/");
}

TEST(NextPath, TheSignInLinkCarriesTheEncodedPage) {
    EXPECT_EQ(
        with_next("/signin", "/oauth/authorize?a=1&b=2"),
        "/signin?next=%2Foauth%2Fauthorize%3Fa%3D1%26b%3D2"
    );
    EXPECT_EQ(with_next("/signin", "/"), "/signin");
    EXPECT_EQ(with_next("/signin", "//evil.example"), "/signin");
}

}  // namespace
}  // namespace govmail::portal
