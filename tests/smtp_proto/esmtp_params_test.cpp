#include "smtpd/proto/esmtp_params.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {
namespace {

struct MailCase {
    std::string name;
    std::string text;
    std::variant<MailParameters, Error> expected;
};

struct RcptCase {
    std::string name;
    std::string text;
    std::variant<RcptParameters, Error> expected;
};

Error error(int code) { return Error{ErrorKind::Syntax, code, "5.5.4", ""}; }

constexpr std::uint64_t kMaxSize = std::numeric_limits<std::uint64_t>::max();

const std::vector<MailCase> kMailCases = {
    {"none", "", MailParameters{}},
    {"trailing spaces", "  ", MailParameters{}},
    // RFC 1870 section 6: MAIL FROM:<ned@thor.innosoft.com> SIZE=500000
    {"size", " SIZE=500000", MailParameters{.size = 500000}},
    {"size lower case", " size=0", MailParameters{.size = 0}},
    {"size 20 digits saturates", " SIZE=99999999999999999999", MailParameters{.size = kMaxSize}},
    {"size 21 digits", " SIZE=100000000000000000000", error(501)},
    {"size not a number", " SIZE=12k", error(501)},
    {"size without value", " SIZE", error(501)},
    {"size empty value", " SIZE=", error(501)},
    {"size twice", " SIZE=1 SIZE=2", error(501)},
    {"body 7bit", " BODY=7BIT", MailParameters{.body = Body::SevenBit}},
    {"body 8bitmime", " BODY=8bitmime", MailParameters{.body = Body::EightBitMime}},
    {"body binarymime", " BODY=BINARYMIME", MailParameters{.body = Body::BinaryMime}},
    {"body unknown", " BODY=9BIT", error(501)},
    {"smtputf8", " SMTPUTF8", MailParameters{.smtputf8 = true}},
    {"smtputf8 with value", " SMTPUTF8=YES", error(501)},
    // RFC 3461 section 6.1 example: RET=HDRS ENVID=QQ314159
    {"ret and envid", " RET=HDRS ENVID=QQ314159",
     MailParameters{.ret = DsnReturn::Headers, .envid = "QQ314159"}},
    {"ret full", " RET=FULL", MailParameters{.ret = DsnReturn::Full}},
    {"ret bad", " RET=BODY", error(501)},
    {"envid xtext", " ENVID=a+2Bb+3Dc", MailParameters{.envid = "a+b=c"}},
    {"envid bad xtext", " ENVID=a+2", error(501)},
    {"envid 100", " ENVID=" + std::string(100, 'e'),
     MailParameters{.envid = std::string(100, 'e')}},
    {"envid 101", " ENVID=" + std::string(101, 'e'), error(501)},
    // RFC 4954 section 5: AUTH=e+3Dmc2@example.com and AUTH=<>
    {"auth", " AUTH=e+3Dmc2@example.com", MailParameters{.auth = "e=mc2@example.com"}},
    {"auth unknown submitter", " AUTH=<>", MailParameters{.auth = "<>"}},
    {"everything", " SIZE=10 BODY=8BITMIME SMTPUTF8 RET=FULL ENVID=x AUTH=<>",
     MailParameters{
         .size = 10,
         .body = Body::EightBitMime,
         .smtputf8 = true,
         .ret = DsnReturn::Full,
         .envid = "x",
         .auth = "<>"}},
    {"repeated spaces", " SIZE=10   BODY=7BIT", MailParameters{.size = 10, .body = Body::SevenBit}},
    {"unknown", " XFOO=1", error(555)},
    {"rcpt parameter in mail", " NOTIFY=NEVER", error(555)},
    {"bad keyword", " -SIZE=1", error(501)},
    {"no leading space", "SIZE=1", error(501)},
    {"value with equals", " ENVID=a=b", error(501)},
    {"non ascii value", " ENVID=\xC3\xBC", error(501)},
};

const std::vector<RcptCase> kRcptCases = {
    {"none", "", RcptParameters{}},
    {"notify never", " NOTIFY=NEVER", RcptParameters{.notify = Notify{}}},
    {"notify list", " NOTIFY=SUCCESS,FAILURE,DELAY",
     RcptParameters{.notify = Notify{.success = true, .failure = true, .delay = true}}},
    {"notify delay", " notify=delay", RcptParameters{.notify = Notify{.delay = true}}},
    {"notify never with others", " NOTIFY=NEVER,SUCCESS", error(501)},
    {"notify empty item", " NOTIFY=SUCCESS,", error(501)},
    {"notify unknown", " NOTIFY=ALWAYS", error(501)},
    // RFC 3461 section 6.2 example
    {"orcpt", " ORCPT=rfc822;Bob@Example.COM",
     RcptParameters{.orcpt = OriginalRecipient{"rfc822", "Bob@Example.COM"}}},
    {"orcpt xtext", " ORCPT=rfc822;a+20b@c.d",
     RcptParameters{.orcpt = OriginalRecipient{"rfc822", "a b@c.d"}}},
    {"orcpt without type", " ORCPT=;a@b.c", error(501)},
    {"orcpt without separator", " ORCPT=a@b.c", error(501)},
    {"orcpt empty address", " ORCPT=rfc822;", error(501)},
    {"orcpt 501", " ORCPT=rfc822;" + std::string(494, 'o'), error(501)},
    {"notify and orcpt", " NOTIFY=FAILURE ORCPT=rfc822;a@b.c",
     RcptParameters{
         .notify = Notify{.failure = true}, .orcpt = OriginalRecipient{"rfc822", "a@b.c"}}},
    {"mail parameter in rcpt", " SIZE=1", error(555)},
};

template <class Params>
void expect_result(
    const std::variant<Params, Error>& result, const std::variant<Params, Error>& expected
) {
    if (const auto* expected_error = std::get_if<Error>(&expected)) {
        ASSERT_TRUE(std::holds_alternative<Error>(result));
        EXPECT_EQ(std::get<Error>(result).code, expected_error->code);
        EXPECT_EQ(std::get<Error>(result).enhanced, expected_error->enhanced);
    } else {
        ASSERT_TRUE(std::holds_alternative<Params>(result))
            << testing::PrintToString(std::get<Error>(result));
        EXPECT_TRUE(std::get<Params>(result) == std::get<Params>(expected));
    }
}

class MailParameterTable : public testing::TestWithParam<MailCase> {};

TEST_P(MailParameterTable, Parses) {
    expect_result(parse_mail_parameters(GetParam().text), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Rfc, MailParameterTable, testing::ValuesIn(kMailCases), case_name<MailCase>);

class RcptParameterTable : public testing::TestWithParam<RcptCase> {};

TEST_P(RcptParameterTable, Parses) {
    expect_result(parse_rcpt_parameters(GetParam().text), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Rfc, RcptParameterTable, testing::ValuesIn(kRcptCases), case_name<RcptCase>);

TEST(Xtext, DecodesHexchars) {
    EXPECT_EQ(decode_xtext(""), "");
    EXPECT_EQ(decode_xtext("plain"), "plain");
    EXPECT_EQ(decode_xtext("+2B+3D+20"), "+= ");
    EXPECT_EQ(decode_xtext("+2b"), "+");  // lower-case hex accepted
    EXPECT_EQ(decode_xtext("+00"), std::string(1, '\0'));
    EXPECT_EQ(decode_xtext("+"), std::nullopt);
    EXPECT_EQ(decode_xtext("+4"), std::nullopt);
    EXPECT_EQ(decode_xtext("+GG"), std::nullopt);
    EXPECT_EQ(decode_xtext("a=b"), std::nullopt);
    EXPECT_EQ(decode_xtext("a b"), std::nullopt);
}

}  // namespace
}  // namespace govmail::smtp
