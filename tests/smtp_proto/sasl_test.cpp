#include "smtpd/proto/sasl.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/sasl_messages.hpp"
#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {
namespace {

struct Base64Case {
    std::string name;
    std::string text;
    std::optional<std::string> decoded;  // nullopt: must be refused with 501 5.5.2
};

const std::vector<Base64Case> kBase64Cases = {
    // RFC 4648 section 10 test vectors
    {"empty", "", ""},
    {"f", "Zg==", "f"},
    {"fo", "Zm8=", "fo"},
    {"foo", "Zm9v", "foo"},
    {"foob", "Zm9vYg==", "foob"},
    {"fooba", "Zm9vYmE=", "fooba"},
    {"foobar", "Zm9vYmFy", "foobar"},
    {"all alphabet", "+/+/", "\xFB\xFF\xBF"},
    {"binary with nul", "AGFiYwA=", std::string("\0abc\0", 5)},
    {"missing padding", "Zg", std::nullopt},
    {"length not multiple of four", "Zm9vY", std::nullopt},
    {"padding in the middle", "Zg==Zg==", std::nullopt},
    {"three padding", "Z===", std::nullopt},
    {"only padding", "====", std::nullopt},
    {"non zero pad bits one", "Zh==", std::nullopt},
    {"non zero pad bits two", "Zm9=", std::nullopt},
    {"space", "Zm9v Zm9v", std::nullopt},
    {"url safe alphabet", "-_-_", std::nullopt},
    {"non ascii", "Zm9\xC3\xBC", std::nullopt},
    {"cr", "Zm9v\r", std::nullopt},
};

class Base64Table : public testing::TestWithParam<Base64Case> {};

TEST_P(Base64Table, Decodes) {
    const auto result = decode_base64(GetParam().text);
    if (!GetParam().decoded) {
        ASSERT_TRUE(std::holds_alternative<Error>(result));
        EXPECT_EQ(std::get<Error>(result).code, 501);
        EXPECT_EQ(std::get<Error>(result).enhanced, "5.5.2");
        return;
    }
    ASSERT_TRUE(std::holds_alternative<std::string>(result));
    EXPECT_EQ(std::get<std::string>(result), *GetParam().decoded);
}

INSTANTIATE_TEST_SUITE_P(Rfc4648, Base64Table, testing::ValuesIn(kBase64Cases), case_name<Base64Case>);

TEST(SaslResponse, StarCancels) {
    const auto result = decode_sasl_response("*");
    ASSERT_TRUE(std::holds_alternative<Error>(result));
    EXPECT_EQ(std::get<Error>(result).kind, ErrorKind::Cancelled);
    EXPECT_EQ(std::get<Error>(result).code, 501);
}

TEST(SaslResponse, EmptyLineIsEmptyResponse) {
    EXPECT_EQ(std::get<std::string>(decode_sasl_response("")), "");
    EXPECT_EQ(std::get<std::string>(decode_sasl_response("Zm9v")), "foo");
    EXPECT_TRUE(std::holds_alternative<Error>(decode_sasl_response("=")));
}

TEST(InitialResponse, EqualsIsEmptyResponse) {
    EXPECT_EQ(std::get<std::string>(decode_initial_response("=")), "");
    EXPECT_EQ(std::get<std::string>(decode_initial_response("Zm9v")), "foo");
    EXPECT_TRUE(std::holds_alternative<Error>(decode_initial_response("*")));
    EXPECT_TRUE(std::holds_alternative<Error>(decode_initial_response("==")));
}

struct PlainCase {
    std::string name;
    std::string message;
    std::optional<auth::PlainCredentials> expected;
};

const std::string kLong(256, 'x');

const std::vector<PlainCase> kPlainCases = {
    // RFC 4616 section 4 examples
    {"no authzid", std::string("\0tim\0tanstaaftanstaaf", 21),
     auth::PlainCredentials{"", "tim", "tanstaaftanstaaf"}},
    {"authzid", std::string("Ursel\0Kurt\0xipj3plmq", 20),
     auth::PlainCredentials{"Ursel", "Kurt", "xipj3plmq"}},
    {"utf8 password", std::string("\0user\0\xED\x95\x9C", 9),
     auth::PlainCredentials{"", "user", "\xED\x95\x9C"}},
    {"one nul", std::string("user\0pass", 9), std::nullopt},
    {"no nul", "userpass", std::nullopt},
    {"three nuls", std::string("\0user\0pa\0ss", 11), std::nullopt},
    {"empty authcid", std::string("\0\0pass", 6), std::nullopt},
    {"empty password", std::string("\0user\0", 6), std::nullopt},
    {"empty message", "", std::nullopt},
    {"password too long", std::string("\0user\0", 6) + kLong, std::nullopt},
    {"authcid too long", std::string("\0", 1) + kLong + std::string("\0pass", 5), std::nullopt},
    {"bad utf8", std::string("\0user\0\xFF", 7), std::nullopt},
};

class PlainTable : public testing::TestWithParam<PlainCase> {};

TEST_P(PlainTable, Splits) {
    EXPECT_EQ(auth::parse_plain(GetParam().message), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Rfc4616, PlainTable, testing::ValuesIn(kPlainCases), case_name<PlainCase>);

}  // namespace
}  // namespace govmail::smtp
