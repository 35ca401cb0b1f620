// SASL messages after base64: PLAIN, OAUTHBEARER and XOAUTH2, well-formed and hostile.

#include <gtest/gtest.h>

#include "auth/sasl_messages.hpp"

namespace govmail::auth {
namespace {

using namespace std::string_literals;

TEST(SaslPlain, SplitsAuthzidAuthcidAndPassword) {
    EXPECT_EQ(parse_plain("\0tim\0tanstaaftanstaaf"s), (PlainCredentials{"", "tim", "tanstaaftanstaaf"}));
    EXPECT_EQ(parse_plain("Ursel\0Kurt\0xipj3plmq"s), (PlainCredentials{"Ursel", "Kurt", "xipj3plmq"}));
}

TEST(SaslPlain, RefusesMalformedMessages) {
    for (const auto& bad : {"no nuls"s, "\0only-one"s, "\0\0pw"s, "\0user\0"s, "a\0b\0c\0d"s,
                            "\0user\0\xff\xfe"s, "\0"s + std::string(256, 'u') + "\0pw"s}) {
        EXPECT_FALSE(parse_plain(bad));
    }
}

TEST(OauthBearer, ParsesRfc7628Example) {
    const auto message = parse_oauthbearer(
        "n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
        "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"
    );
    ASSERT_TRUE(message);
    EXPECT_EQ(message->authzid, "user@example.com");
    EXPECT_EQ(message->token, "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
}

TEST(OauthBearer, DecodesSaslnameEscapesAndRefusesBadOnes) {
    const auto ok = parse_oauthbearer("n,a=a=2Cb=3Dc,\x01" "auth=Bearer t\x01\x01");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->authzid, "a,b=c");
    EXPECT_FALSE(parse_oauthbearer("n,a=a=2Xb,\x01" "auth=Bearer t\x01\x01"));
}

TEST(OauthBearer, RefusesMessagesWithoutAValidBearerToken) {
    for (const char* bad : {"", "n,,", "n,,\x01\x01", "p=tls-unique,,\x01" "auth=Bearer t\x01\x01",
                            "n,,\x01" "auth=Basic dXNlcg==\x01\x01", "n,,\x01" "auth=Bearer \x01\x01",
                            "n,,\x01" "auth=Bearer a b\x01\x01", "n,,\x01" "auth=Bearer t\x01"}) {
        EXPECT_FALSE(parse_oauthbearer(bad)) << bad;
    }
    EXPECT_FALSE(parse_oauthbearer("n,,\x01" "auth=Bearer " + std::string(9000, 'a') + "\x01\x01"));
}

TEST(Xoauth2, ParsesUserAndToken) {
    const auto message = parse_xoauth2("user=someuser@example.com\x01" "auth=Bearer ya29.vF9dft4qmTc2\x01\x01");
    ASSERT_TRUE(message);
    EXPECT_EQ(message->authzid, "someuser@example.com");
    EXPECT_EQ(message->token, "ya29.vF9dft4qmTc2");
    EXPECT_FALSE(parse_xoauth2("user=someuser@example.com\x01\x01"));
}

}  // namespace
}  // namespace govmail::auth
