#include "smtpd/proto/address.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {
namespace {

struct PathCase {
    std::string name;
    std::string text;
    PathKind kind;
    // The mailbox as "local@domain"; "<>" for the null path; "" when the path must be refused.
    std::string expected;
    bool utf8 = false;
};

const std::string kLocal64(64, 'l');
const std::string kLabel63(63, 'd');
// 4 labels of 63 octets and 3 dots: 255 octets, the longest domain.
const std::string kDomain255 = kLabel63 + "." + kLabel63 + "." + kLabel63 + "." + kLabel63;

const std::vector<PathCase> kPathCases = {
    {"simple", "<Smith@bar.com>", PathKind::Reverse, "Smith@bar.com"},
    {"null reverse path", "<>", PathKind::Reverse, "<>"},
    {"null forward path", "<>", PathKind::Forward, ""},
    {"postmaster", "<Postmaster>", PathKind::Forward, "Postmaster"},
    {"postmaster any case", "<pOsTmAsTeR>", PathKind::Forward, "pOsTmAsTeR"},
    {"postmaster only in rcpt", "<Postmaster>", PathKind::Reverse, ""},
    {"other local part without domain", "<Smith>", PathKind::Forward, ""},
    {"dot string", "<first.last+tag@example.com>", PathKind::Forward, "first.last+tag@example.com"},
    {"atext specials", "<!#$%&'*+-/=?^_`{|}~@example.com>", PathKind::Forward,
     "!#$%&'*+-/=?^_`{|}~@example.com"},
    {"leading dot", "<.a@example.com>", PathKind::Forward, ""},
    {"trailing dot", "<a.@example.com>", PathKind::Forward, ""},
    {"double dot", "<a..b@example.com>", PathKind::Forward, ""},
    {"quoted string", "<\"John Smith\"@example.com>", PathKind::Forward,
     "\"John Smith\"@example.com"},
    {"quoted pair", "<\"a\\\"b\\\\c\"@example.com>", PathKind::Forward,
     "\"a\\\"b\\\\c\"@example.com"},
    {"quoted angle bracket", "<\"a>b\"@example.com>", PathKind::Forward, "\"a>b\"@example.com"},
    {"unterminated quote", "<\"abc@example.com>", PathKind::Forward, ""},
    {"source route", "<@hosta.int,@jkl.org:userc@d.bar.org>", PathKind::Forward, "userc@d.bar.org"},
    {"single source route", "<@a.b:c@d.e>", PathKind::Reverse, "c@d.e"},
    {"bad source route", "<@a.b,c@d.e>", PathKind::Forward, ""},
    {"ipv4 literal", "<a@[192.0.2.1]>", PathKind::Forward, "a@[192.0.2.1]"},
    {"ipv4 literal out of range", "<a@[192.0.2.256]>", PathKind::Forward, ""},
    {"ipv4 literal three octets", "<a@[192.0.2]>", PathKind::Forward, ""},
    {"ipv6 literal", "<a@[IPv6:2001:db8::1]>", PathKind::Forward, "a@[IPv6:2001:db8::1]"},
    {"ipv6 literal with ipv4", "<a@[IPv6:::ffff:192.0.2.1]>", PathKind::Forward,
     "a@[IPv6:::ffff:192.0.2.1]"},
    {"ipv6 literal bad", "<a@[IPv6:2001:db8:::1]>", PathKind::Forward, ""},
    {"ipv6 without tag", "<a@[2001:db8::1]>", PathKind::Forward, ""},
    {"general literal", "<a@[x400:c=us]>", PathKind::Forward, ""},
    {"hyphen in domain", "<a@mail-1.example.com>", PathKind::Forward, "a@mail-1.example.com"},
    {"label starts with hyphen", "<a@-mail.example.com>", PathKind::Forward, ""},
    {"label ends with hyphen", "<a@mail-.example.com>", PathKind::Forward, ""},
    {"underscore in domain", "<a@mail_1.example.com>", PathKind::Forward, ""},
    {"empty domain", "<a@>", PathKind::Forward, ""},
    {"trailing dot domain", "<a@example.com.>", PathKind::Forward, ""},
    {"missing close", "<a@example.com", PathKind::Forward, ""},
    {"missing open", "a@example.com>", PathKind::Forward, ""},
    {"two at signs", "<a@b@example.com>", PathKind::Forward, ""},
    {"space inside", "<a b@example.com>", PathKind::Forward, ""},
    {"utf8 rfc6531", "<θσερ@εχαμπλε.ψομ>", PathKind::Forward, "θσερ@εχαμπλε.ψομ", true},
    {"utf8 quoted", "<\"ü ö\"@example.com>", PathKind::Forward, "\"ü ö\"@example.com", true},
    {"invalid utf8", "<\xC3\x28@example.com>", PathKind::Forward, ""},
    {"overlong utf8", "<\xC0\xAF@example.com>", PathKind::Forward, ""},
    {"local part 64", "<" + kLocal64 + "@example.com>", PathKind::Forward,
     kLocal64 + "@example.com"},
    {"local part 65", "<" + kLocal64 + "l@example.com>", PathKind::Forward, ""},
    {"label 63", "<a@" + kLabel63 + ".com>", PathKind::Forward, "a@" + kLabel63 + ".com"},
    {"label 64", "<a@" + kLabel63 + "d.com>", PathKind::Forward, ""},
    // "<" local "@" domain ">" = 1 + 64 + 1 + 255 + 1 = 322 octets: over the 256 path limit.
    {"path over 256", "<" + kLocal64 + "@" + kDomain255 + ">", PathKind::Forward, ""},
};

class PathTable : public testing::TestWithParam<PathCase> {};

TEST_P(PathTable, Parses) {
    const PathCase& c = GetParam();
    const auto result = parse_path(c.text, c.kind);
    if (c.expected.empty()) {
        ASSERT_TRUE(std::holds_alternative<Error>(result)) << c.text;
        EXPECT_EQ(std::get<Error>(result).code, 501);
        EXPECT_EQ(
            std::get<Error>(result).enhanced, c.kind == PathKind::Reverse ? "5.1.7" : "5.1.3"
        );
        return;
    }
    ASSERT_TRUE(std::holds_alternative<ParsedPath>(result))
        << testing::PrintToString(std::get<Error>(result));
    const ParsedPath& path = std::get<ParsedPath>(result);
    EXPECT_EQ(path.mailbox ? path.mailbox->to_string() : "<>", c.expected);
    EXPECT_EQ(path.length, c.text.size());
    EXPECT_EQ(path.has_utf8, c.utf8);
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, PathTable, testing::ValuesIn(kPathCases), case_name<PathCase>);

TEST(Path, StopsAtClosingBracket) {
    const auto result = parse_path("<a@b.c> SIZE=10", PathKind::Reverse);
    ASSERT_TRUE(std::holds_alternative<ParsedPath>(result));
    EXPECT_EQ(std::get<ParsedPath>(result).length, 7u);
}

TEST(Path, LengthErrorsAreLimits) {
    const auto result = parse_path("<" + kLocal64 + "l@example.com>", PathKind::Forward);
    EXPECT_EQ(std::get<Error>(result).kind, ErrorKind::Limit);
}

TEST(Domain, AcceptsRfc5321Domains) {
    EXPECT_TRUE(is_domain("example.com"));
    EXPECT_TRUE(is_domain("localhost"));
    EXPECT_TRUE(is_domain("1.example"));
    EXPECT_TRUE(is_domain(kDomain255));
    EXPECT_FALSE(is_domain(kDomain255 + "d"));
    EXPECT_FALSE(is_domain(""));
    EXPECT_FALSE(is_domain("a..b"));
    EXPECT_FALSE(is_domain("my_laptop"));
    EXPECT_FALSE(is_domain("例子.广告"));
    EXPECT_TRUE(is_domain("例子.广告", true));
}

TEST(AddressLiteral, AcceptsIpv4AndIpv6) {
    EXPECT_TRUE(is_address_literal("[127.0.0.1]"));
    EXPECT_TRUE(is_address_literal("[IPv6:::1]"));
    EXPECT_TRUE(is_address_literal("[ipv6:::1]"));
    EXPECT_FALSE(is_address_literal("[]"));
    EXPECT_FALSE(is_address_literal("[1.2.3.4.5]"));
    EXPECT_FALSE(is_address_literal("[1.2.3.]"));
    EXPECT_FALSE(is_address_literal("[1.2.3.4"));
    EXPECT_FALSE(is_address_literal("[IPv6:]"));
    EXPECT_FALSE(is_address_literal("[IPv6:1.2.3.4]"));
}

}  // namespace
}  // namespace govmail::smtp
