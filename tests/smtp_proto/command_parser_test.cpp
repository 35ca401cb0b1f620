#include "smtpd/proto/command_parser.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {
namespace {

struct CommandCase {
    std::string name;
    std::string line;
    std::variant<Command, Error> expected;
    CommandContext context = {};
};

Error error(int code, std::string_view enhanced, bool fatal = false) {
    return Error{ErrorKind::Syntax, code, enhanced, "", fatal};
}

Mailbox mailbox(std::string local, std::string domain) {
    return Mailbox{std::move(local), std::move(domain)};
}

MailFrom mail_from(std::optional<Mailbox> sender, MailParameters params = {}) {
    return MailFrom{std::move(sender), std::move(params)};
}

RcptTo rcpt_to(Mailbox recipient, RcptParameters params = {}) {
    return RcptTo{std::move(recipient), std::move(params)};
}

const std::vector<CommandCase> kCommandCases = {
    // RFC 5321 appendix D scenarios
    {"ehlo", "EHLO bar.com", Ehlo{"bar.com"}},
    {"helo", "HELO bar.com", Helo{"bar.com"}},
    {"ehlo address literal", "EHLO [192.0.2.1]", Ehlo{"[192.0.2.1]"}},
    {"ehlo lower case verb", "ehlo bar.com", Ehlo{"bar.com"}},
    {"ehlo trailing space", "EHLO bar.com ", Ehlo{"bar.com"}},
    {"ehlo without name", "EHLO", error(501, "5.5.4")},
    {"ehlo two words", "EHLO bar.com extra", error(501, "5.5.4")},
    {"mail", "MAIL FROM:<Smith@bar.com>", mail_from(mailbox("Smith", "bar.com"))},
    {"mail mixed case", "mail from:<Smith@bar.com>", mail_from(mailbox("Smith", "bar.com"))},
    {"mail null sender", "MAIL FROM:<>", mail_from(std::nullopt)},
    {"mail space after colon", "MAIL FROM: <a@b.c>", mail_from(mailbox("a", "b.c"))},
    {"mail without brackets", "MAIL FROM:a@b.c", error(501, "5.1.7")},
    {"mail without from", "MAIL <a@b.c>", error(501, "5.5.4")},
    {"mail source route stripped", "MAIL FROM:<@hosta.int,@jkl.org:userc@d.bar.org>",
     mail_from(mailbox("userc", "d.bar.org"))},
    {"mail size", "MAIL FROM:<a@b.c> SIZE=500000",
     mail_from(mailbox("a", "b.c"), {.size = 500000})},
    {"mail body and dsn", "MAIL FROM:<a@b.c> BODY=8BITMIME RET=HDRS ENVID=QQ314159",
     mail_from(
         mailbox("a", "b.c"),
         {.body = Body::EightBitMime, .ret = DsnReturn::Headers, .envid = "QQ314159"}
     )},
    {"mail unknown parameter", "MAIL FROM:<a@b.c> FOO=BAR", error(555, "5.5.4")},
    {"mail garbage after path", "MAIL FROM:<a@b.c>x", error(501, "5.5.4")},
    {"mail utf8 with smtputf8", "MAIL FROM:<δοκιμή@παράδειγμα.δοκιμή> SMTPUTF8",
     mail_from(mailbox("δοκιμή", "παράδειγμα.δοκιμή"), {.smtputf8 = true})},
    {"mail utf8 without smtputf8", "MAIL FROM:<δοκιμή@παράδειγμα.δοκιμή>", error(553, "5.6.7")},
    {"rcpt", "RCPT TO:<Jones@foo.com>", rcpt_to(mailbox("Jones", "foo.com"))},
    {"rcpt postmaster", "RCPT TO:<Postmaster>", rcpt_to(mailbox("Postmaster", ""))},
    {"rcpt null path", "RCPT TO:<>", error(501, "5.1.3")},
    {"rcpt notify", "RCPT TO:<a@b.c> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bx@b.c",
     rcpt_to(
         mailbox("a", "b.c"),
         {.notify = Notify{.success = true, .failure = true},
          .orcpt = OriginalRecipient{"rfc822", "a+x@b.c"}}
     )},
    {"rcpt mail parameter refused", "RCPT TO:<a@b.c> SIZE=10", error(555, "5.5.4")},
    {"rcpt utf8 in utf8 transaction", "RCPT TO:<用户@例子.广告>",
     rcpt_to(mailbox("用户", "例子.广告")), CommandContext{.smtputf8 = true}},
    {"rcpt utf8 outside utf8 transaction", "RCPT TO:<用户@例子.广告>", error(553, "5.6.7")},
    {"data", "DATA", Data{}},
    {"data with argument", "DATA now", error(501, "5.5.4")},
    {"bdat", "BDAT 86", Bdat{86, false}},
    {"bdat last", "BDAT 0 LAST", Bdat{0, true}},
    {"bdat last lower case", "bdat 12 last", Bdat{12, true}},
    {"bdat without size", "BDAT", error(501, "5.5.4", true)},
    {"bdat bad size", "BDAT 1x", error(501, "5.5.4", true)},
    {"bdat bad marker", "BDAT 5 FIRST", error(501, "5.5.4", true)},
    {"bdat huge size", "BDAT 123456789012345678901", error(501, "5.5.4", true)},
    {"rset", "RSET", Rset{}},
    {"noop", "NOOP", Noop{}},
    {"noop with argument", "NOOP anything at all", Noop{}},
    {"vrfy", "VRFY Smith", Vrfy{"Smith"}},
    {"vrfy quoted", "VRFY \"John Smith\"", Vrfy{"\"John Smith\""}},
    {"vrfy without argument", "VRFY", error(501, "5.5.4")},
    {"expn", "EXPN Example-People", Expn{"Example-People"}},
    {"help", "HELP", Help{std::nullopt}},
    {"help topic", "HELP MAIL", Help{"MAIL"}},
    {"quit", "QUIT", Quit{}},
    {"quit with argument", "QUIT now", error(501, "5.5.4")},
    {"starttls", "STARTTLS", StartTls{}},
    {"starttls with argument", "STARTTLS x", error(501, "5.5.4")},
    {"auth", "AUTH plain", Auth{"PLAIN", std::nullopt}},
    {"auth initial response",
     "AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=", Auth{"PLAIN", "dGVzdAB0ZXN0AHRlc3Q="}},
    {"auth empty initial response", "AUTH EXTERNAL =", Auth{"EXTERNAL", "="}},
    {"auth without mechanism", "AUTH", error(501, "5.5.4")},
    {"auth bad mechanism", "AUTH PL@IN", error(501, "5.5.4")},
    {"auth three words", "AUTH PLAIN a b", error(501, "5.5.4")},
    {"empty line", "", error(500, "5.5.2")},
    {"leading space", " NOOP", error(500, "5.5.2")},
    {"unknown verb", "XYZZY", error(500, "5.5.1")},
    {"obsolete verb", "TURN", error(502, "5.5.1")},
    {"etrn", "ETRN example.com", error(502, "5.5.1")},
    {"http get", "GET / HTTP/1.1", error(500, "5.5.1", true)},
    {"http post", "POST /cgi HTTP/1.0", error(500, "5.5.1", true)},
    {"http header", "Host: mail.example.com", error(500, "5.5.1", true)},
    {"nul byte", std::string("NOOP\0x", 6), error(500, "5.5.2")},
    {"cr inside line", "MAIL FROM:<a@b.c>\rRCPT TO:<d@e.f>", error(500, "5.5.2")},
    {"tab", "NOOP\tx", error(500, "5.5.2")},
};

// Errors are compared by reply, not by text or kind.
bool same_reply(const Error& a, const Error& b) {
    return a.code == b.code && a.enhanced == b.enhanced && a.fatal == b.fatal;
}

class CommandParserTable : public testing::TestWithParam<CommandCase> {};

TEST_P(CommandParserTable, Parses) {
    const CommandCase& c = GetParam();
    const auto result = parse_command(c.line, c.context);
    if (const auto* expected_error = std::get_if<Error>(&c.expected)) {
        ASSERT_TRUE(std::holds_alternative<Error>(result)) << "accepted: " << c.line;
        EXPECT_TRUE(same_reply(std::get<Error>(result), *expected_error))
            << testing::PrintToString(std::get<Error>(result));
        EXPECT_TRUE(std::get<Error>(result).text.find_first_of("\r\n") == std::string_view::npos);
    } else {
        ASSERT_TRUE(std::holds_alternative<Command>(result))
            << testing::PrintToString(std::get<Error>(result));
        EXPECT_TRUE(std::get<Command>(result) == std::get<Command>(c.expected));
    }
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, CommandParserTable, testing::ValuesIn(kCommandCases), case_name<CommandCase>);

TEST(CommandParser, ErrorKindsSeparateSyntaxFromUnknownVerbs) {
    EXPECT_EQ(std::get<Error>(parse_command("FOO")).kind, ErrorKind::Unrecognized);
    EXPECT_EQ(std::get<Error>(parse_command("MAIL FROM:<>x")).kind, ErrorKind::Syntax);
    EXPECT_EQ(std::get<Error>(parse_command("MAIL FROM:<ü@b.c>")).kind, ErrorKind::Policy);
}

// Random lines built from command fragments and special octets: the parser must answer every
// one without crashing (run under ASan/UBSan) and with a well-formed reply code.
TEST(CommandParser, RandomLinesNeverCrash) {
    constexpr std::array<std::string_view, 16> kFragments{
        "MAIL FROM:", "RCPT TO:", "<", ">",     "@",     ".", "\"",   "\\",
        " ",          "[",        "]", "IPv6:", "SIZE=", "=", "\xC3", "a"};
    std::mt19937 random(1870);  // fixed seed: deterministic
    std::uniform_int_distribution<std::size_t> count(0, 12);
    std::uniform_int_distribution<std::size_t> pick(0, kFragments.size() - 1);
    for (int round = 0; round < 20000; ++round) {
        std::string line;
        for (std::size_t i = count(random); i > 0; --i) {
            line += kFragments[pick(random)];
        }
        const auto result = parse_command(line, {.smtputf8 = round % 2 == 0});
        if (const auto* parse_error = std::get_if<Error>(&result)) {
            EXPECT_GE(parse_error->code, 500) << line;
            EXPECT_LE(parse_error->code, 555) << line;
        }
    }
}

}  // namespace
}  // namespace govmail::smtp
