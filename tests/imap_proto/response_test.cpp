// Response building blocks and the reply to each kind of error.

#include "imapd/proto/response.hpp"

#include <gtest/gtest.h>

#include "imapd/proto/date_time.hpp"

namespace govmail::imap {
namespace {

using namespace std::literals;

TEST(Response, FormatsStatusLines) {
    EXPECT_EQ(
        tagged_response("A1", ReplyStatus::Ok, "[READ-WRITE] SELECT completed"),
        "A1 OK [READ-WRITE] SELECT completed\r\n"
    );
    EXPECT_EQ(tagged_response("A2", ReplyStatus::No, "Nope"), "A2 NO Nope\r\n");
    EXPECT_EQ(untagged_response("3 EXISTS"), "* 3 EXISTS\r\n");
    EXPECT_EQ(continuation_response("Ready"), "+ Ready\r\n");
}

TEST(Response, MapsErrorsToReplies) {
    EXPECT_EQ(
        error_response({ErrorKind::Syntax, "Missing arguments", false, "a1"}),
        "a1 BAD Missing arguments\r\n"
    );
    EXPECT_EQ(
        error_response({ErrorKind::Syntax, "Missing or invalid tag", false, std::nullopt}),
        "* BAD Missing or invalid tag\r\n"
    );
    EXPECT_EQ(
        error_response({ErrorKind::TooBig, "Literal too big", false, "a2"}),
        "a2 NO [TOOBIG] Literal too big\r\n"
    );
    EXPECT_EQ(
        error_response({ErrorKind::BadCharset, "Unsupported charset", false, "a3"}),
        "a3 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n"
    );
    EXPECT_EQ(
        error_response({ErrorKind::TooLong, "Line too long", true, "a4"}), "* BYE Line too long\r\n"
    );
}

TEST(Response, ChoosesAtomQuotedOrLiteral) {
    EXPECT_EQ(format_astring("INBOX"), "INBOX");
    EXPECT_EQ(format_astring("NIL"), "\"NIL\"");
    EXPECT_EQ(format_astring(""), "\"\"");
    EXPECT_EQ(format_astring("Sent Items"), "\"Sent Items\"");
    EXPECT_EQ(format_astring("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
    EXPECT_EQ(format_astring("two\r\nlines"), "{10}\r\ntwo\r\nlines");
    EXPECT_EQ(format_astring("caf\xc3\xa9"), "{5}\r\ncaf\xc3\xa9");
    EXPECT_EQ(format_astring(std::string(1025, ' ')), "{1025}\r\n" + std::string(1025, ' '));
}

// RFC 3501 CHAR8 and RFC 9051 exclude NUL from every string, quoted or literal. Responses
// used a second quoter that sent a NUL raw inside a literal; they now use imap_string(), which
// writes it as U+FFFD as ENVELOPE and BODYSTRUCTURE do.
TEST(Response, NeverSendsNul) {
    EXPECT_EQ(
        format_astring("a\0b"s),
        "{5}\r\na\xEF\xBF\xBD"
        "b"
    );
}

TEST(Response, FormatsFlagLists) {
    EXPECT_EQ(format_flag_list({}), "()");
    EXPECT_EQ(format_flag_list({"\\Seen", "$Forwarded", "\\*"}), "(\\Seen $Forwarded \\*)");
}

TEST(Response, EncodesMailboxNames) {
    EXPECT_EQ(format_mailbox_name("INBOX"), "INBOX");
    EXPECT_EQ(
        format_mailbox_name("\xeb\xb3\xb4\xeb\x82\xb8 \xed\x8e\xb8\xec\xa7\x80\xed\x95\xa8"),
        "\"&vPSwuA- &07jJwNVo-\""
    );
    EXPECT_EQ(format_mailbox_name("Tom & Jerry"), "\"Tom &- Jerry\"");
}

TEST(DateTime, FormatsInternalDateInItsZone) {
    const auto parsed = parse_date_time("17-Jul-1996 02:44:25 -0700");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(format_date_time(*parsed), "\"17-Jul-1996 02:44:25 -0700\"");
    EXPECT_EQ(
        parsed->instant, std::chrono::sys_days{std::chrono::year{1996} / 7 / 17} +
                             std::chrono::hours{9} + std::chrono::minutes{44} +
                             std::chrono::seconds{25}
    );
    const DateTime seoul{parsed->instant, std::chrono::minutes{540}};
    EXPECT_EQ(format_date_time(seoul), "\"17-Jul-1996 18:44:25 +0900\"");
}

TEST(DateTime, AcceptsSpacePaddedDayAndRefusesNonsense) {
    EXPECT_TRUE(parse_date_time(" 7-Jul-1996 02:44:25 +0000"));
    EXPECT_EQ(
        format_date_time(*parse_date_time(" 7-Jul-1996 02:44:25 +0000")),
        "\"07-Jul-1996 02:44:25 +0000\""
    );
    for (const std::string_view bad :
         {"17-Jul-1996 02:44:25", "17-Jul-1996 24:00:00 +0000", "32-Jul-1996 02:44:25 +0000",
          "17-Jux-1996 02:44:25 +0000", "17-Jul-96 02:44:25 +0000", "17-Jul-1996 02:44:25 +0060",
          "17-Jul-1996 02:44:25 -0700 "}) {
        EXPECT_EQ(parse_date_time(bad), std::nullopt) << bad;
    }
}

}  // namespace
}  // namespace govmail::imap
