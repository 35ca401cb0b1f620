// Tokens read one at a time: strings, literals, numbers, flags, dates and mailbox names.

#include "imapd/proto/tokenizer.hpp"

#include <gtest/gtest.h>

#include "tests/imap_proto/parse_helpers.hpp"

namespace govmail::imap {
namespace {

using namespace std::literals;

TEST(Tokenizer, ReadsAtomsUpToSpecials) {
    Tokenizer tokens("abc]def(x", 8);
    EXPECT_EQ(tokens.atom(), "abc");
    EXPECT_EQ(tokens.peek(), ']');
}

TEST(Tokenizer, ReadsAstringForms) {
    Tokenizer tokens("atom] \"quo\\\"ted\" {3}\r\nlit", 8);
    EXPECT_EQ(tokens.astring(), "atom]");
    tokens.space();
    EXPECT_EQ(tokens.astring(), "quo\"ted");
    tokens.space();
    EXPECT_EQ(tokens.astring(), "lit");
    EXPECT_TRUE(tokens.ok());
}

TEST(Tokenizer, AcceptsUtf8InQuotedStrings) {
    Tokenizer tokens("\"\xed\x95\x9c\xea\xb8\x80\"", 8);
    EXPECT_EQ(tokens.string(), "\xed\x95\x9c\xea\xb8\x80");
    EXPECT_TRUE(tokens.ok());
}

TEST(Tokenizer, RefusesOverlongUtf8InQuotedStrings) {
    Tokenizer tokens("\"\xc0\xaf\"", 8);
    tokens.string();
    EXPECT_EQ(tokens.error()->text, "Quoted string is not valid UTF-8");
}

TEST(Tokenizer, ReadsNilAsNoString) {
    Tokenizer tokens("NIL \"NIL\"", 8);
    EXPECT_EQ(tokens.nstring(), std::nullopt);
    tokens.space();
    EXPECT_EQ(tokens.nstring(), "NIL");
}

TEST(Tokenizer, ReadsLiteral8OnlyWhereAllowed) {
    Tokenizer tokens("~{2+}\r\n\0\1"sv, 8);
    const LiteralData literal = tokens.literal(true);
    EXPECT_TRUE(literal.binary);
    EXPECT_EQ(literal.data, "\0\1"sv);
}

TEST(Tokenizer, RefusesLiteralLongerThanTheInput) {
    Tokenizer tokens("{10}\r\nshort", 8);
    tokens.string();
    EXPECT_EQ(tokens.error()->text, "Invalid literal size");
}

TEST(Tokenizer, ReadsNumbersWithinTheirRange) {
    Tokenizer tokens("4294967295 4294967296 0", 8);
    EXPECT_EQ(tokens.number(), 4294967295U);
    tokens.space();
    tokens.number();
    EXPECT_EQ(tokens.error()->text, "Number too big");

    Tokenizer zero("0", 8);
    zero.nz_number();
    EXPECT_EQ(zero.error()->text, "Number must not be 0");

    Tokenizer modseq("9223372036854775807 9223372036854775808", 8);
    EXPECT_EQ(modseq.number64(), 9223372036854775807U);
    modseq.space();
    modseq.number64();
    EXPECT_EQ(modseq.error()->text, "Number too big");
}

TEST(Tokenizer, CanonicalisesSystemFlagsAndKeepsKeywords) {
    Tokenizer tokens("(\\SEEN \\answered $Forwarded \\X-Ext)", 8);
    EXPECT_EQ(
        tokens.flag_list(),
        (std::vector<std::string>{"\\Seen", "\\Answered", "$Forwarded", "\\X-Ext"})
    );
}

TEST(Tokenizer, RefusesWildcardFlagFromClients) {
    Tokenizer tokens("(\\*)", 8);
    tokens.flag_list();
    EXPECT_FALSE(tokens.ok());
}

TEST(Tokenizer, DecodesMailboxNamesAndInbox) {
    Tokenizer tokens("inbox \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\" InBoX.sub", 8);
    EXPECT_EQ(tokens.mailbox(), "INBOX");
    tokens.space();
    EXPECT_EQ(
        tokens.mailbox(),
        "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
    );
    tokens.space();
    EXPECT_EQ(tokens.mailbox(), "InBoX.sub");
}

TEST(Tokenizer, ReportsBadModifiedUtf7AsMailboxError) {
    Tokenizer tokens("&Jjo-&Jjo-", 8);
    tokens.mailbox();
    EXPECT_EQ(tokens.error()->kind, ErrorKind::BadMailboxName);
}

TEST(Tokenizer, ReadsListPatternsWithWildcards) {
    Tokenizer tokens("%/&AOk-* ", 8);
    EXPECT_EQ(tokens.list_mailbox(), "%/\xc3\xa9*");
}

TEST(Tokenizer, ReadsDatesQuotedOrNot) {
    Tokenizer tokens("1-Feb-1994 \"01-feb-1994\" 30-Feb-1994", 8);
    const std::chrono::year_month_day expected{
        std::chrono::year{1994}, std::chrono::February, std::chrono::day{1}};
    EXPECT_EQ(tokens.date(), expected);
    tokens.space();
    EXPECT_EQ(tokens.date(), expected);
    tokens.space();
    tokens.date();
    EXPECT_EQ(tokens.error()->text, "Invalid date");
}

TEST(Tokenizer, StopsAfterTheFirstError) {
    Tokenizer tokens("(a b", 8);
    tokens.list([&] { tokens.atom(); }, EmptyList::Refused);
    EXPECT_EQ(tokens.error()->text, "Expected ')'");
    EXPECT_EQ(tokens.peek(), '\0');
    EXPECT_EQ(tokens.atom(), "");
    EXPECT_EQ(tokens.error()->text, "Expected ')'");
}

TEST(Tokenizer, MatchesWholeKeywordsOnly) {
    Tokenizer tokens("RETURNS", 8);
    EXPECT_FALSE(tokens.skip_keyword("RETURN"));
    EXPECT_TRUE(tokens.skip_keyword("returns"));
}

}  // namespace
}  // namespace govmail::imap
