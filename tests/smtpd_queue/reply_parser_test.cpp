// The outbound client's reply parser, fed whole and one byte at a time, with the server-side
// formatter's output as well-formed input.

#include "smtpd/queue/reply_parser.hpp"

#include <gtest/gtest.h>

#include "smtpd/proto/reply.hpp"
#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {

inline void PrintTo(const Reply& reply, std::ostream* os) { *os << reply.summary(); }
inline void PrintTo(const MalformedReply& m, std::ostream* os) { *os << m.reason; }

namespace {

struct Case {
    std::string name;
    std::string input;
    ReplyResult want;
};

Reply reply(int code, std::vector<std::string> lines) { return Reply{code, std::move(lines)}; }

const std::vector<Case> kCases{
    {"single line", "250 2.0.0 OK\r\n", reply(250, {"2.0.0 OK"})},
    {"greeting", "220 mx.example.org ESMTP ready\r\n", reply(220, {"mx.example.org ESMTP ready"})},
    {"code only", "250\r\n", reply(250, {""})},
    {"multi line (RFC 5321 4.2.1 example)",
     "250-First line\r\n250-Second line\r\n250-234 Text beginning with numbers\r\n"
     "250 The last line\r\n",
     reply(250, {"First line", "Second line", "234 Text beginning with numbers", "The last line"})},
    {"bare LF tolerated", "451 4.3.0 try later\n", reply(451, {"4.3.0 try later"})},
    {"incomplete", "250-one\r\n250 tw", NeedMore{}},
    {"codes differ", "250-one\r\n251 two\r\n", MalformedReply{"reply lines with different codes"}},
    {"not a code", "hello\r\n", MalformedReply{"reply line without a valid reply code"}},
    {"code out of range", "199 no\r\n", MalformedReply{"reply line without a valid reply code"}},
    {"second digit out of range", "260 no\r\n",
     MalformedReply{"reply line without a valid reply code"}},
    {"bad separator", "250+x\r\n", MalformedReply{"reply line without a valid reply code"}},
    {"bare CR inside a line", "250-one\r\n250 two\rthree\r\n",
     MalformedReply{"reply line with a bare CR"}},
    {"too long", "250 " + std::string(kMaxReceivedReplyLine, 'x') + "\r\n",
     MalformedReply{"reply line too long"}},
};

class ReplyParserTable : public testing::TestWithParam<Case> {};

TEST_P(ReplyParserTable, WholeInput) {
    ReplyParser parser;
    std::string_view input = GetParam().input;
    EXPECT_EQ(parser.read(input), GetParam().want);
}

TEST_P(ReplyParserTable, OneByteAtATime) {
    ReplyParser parser;
    const std::string& input = GetParam().input;
    ReplyResult result = NeedMore{};
    for (std::size_t i = 0; i < input.size(); ++i) {
        std::string_view byte(&input[i], 1);
        result = parser.read(byte);
        EXPECT_TRUE(byte.empty());
        if (!std::holds_alternative<NeedMore>(result)) {
            EXPECT_EQ(i, input.find_last_of('\n')) << "a result before the line end";
            break;
        }
    }
    EXPECT_EQ(result, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(Replies, ReplyParserTable, testing::ValuesIn(kCases), case_name<Case>);

TEST(ReplyParser, LeavesPipelinedRepliesInTheInput) {
    ReplyParser parser;
    std::string_view input = "250 2.1.0 Ok\r\n550 5.1.1 unknown\r\n354 go\r\n";
    EXPECT_EQ(parser.read(input), ReplyResult(reply(250, {"2.1.0 Ok"})));
    EXPECT_EQ(input, "550 5.1.1 unknown\r\n354 go\r\n");
    EXPECT_EQ(parser.read(input), ReplyResult(reply(550, {"5.1.1 unknown"})));
    EXPECT_EQ(parser.read(input), ReplyResult(reply(354, {"go"})));
    EXPECT_TRUE(input.empty());
}

TEST(ReplyParser, ReadsWhatTheServerFormatterWrites) {
    const std::vector<std::string_view> lines{"one", "two", "three"};
    const std::string formatted = format_reply(452, "4.5.3", lines);
    ReplyParser parser;
    std::string_view input = formatted;
    EXPECT_EQ(
        parser.read(input), ReplyResult(reply(452, {"4.5.3 one", "4.5.3 two", "4.5.3 three"}))
    );
}

TEST(ReplyParser, BoundsTheNumberOfLines) {
    std::string input;
    for (std::size_t i = 0; i <= kMaxReplyLines; ++i) {
        input += "250-x\r\n";
    }
    ReplyParser parser;
    std::string_view view = input;
    EXPECT_EQ(parser.read(view), ReplyResult(MalformedReply{"reply with too many lines"}));
}

TEST(Reply, EnhancedStatusMustMatchTheReplyClass) {
    EXPECT_EQ(reply(550, {"5.1.1 User unknown"}).enhanced(), "5.1.1");
    EXPECT_EQ(reply(250, {"2.0.0"}).enhanced(), "2.0.0");
    EXPECT_EQ(reply(451, {"4.7.650 throttled"}).enhanced(), "4.7.650");
    EXPECT_EQ(reply(550, {"4.1.1 wrong class"}).enhanced(), "");
    EXPECT_EQ(reply(550, {"User unknown"}).enhanced(), "");
    EXPECT_EQ(reply(550, {"5.1 short"}).enhanced(), "");
    EXPECT_EQ(reply(550, {"5.1.x bad"}).enhanced(), "");
    EXPECT_EQ(reply(354, {"go ahead"}).enhanced(), "");
}

TEST(Reply, SummaryIsOneLine) {
    EXPECT_EQ(
        reply(550, {"5.1.1 first", "5.1.1 second"}).summary(), "550 5.1.1 first 5.1.1 second"
    );
    EXPECT_EQ(reply(250, {""}).summary(), "250");
}

}  // namespace
}  // namespace govmail::smtp
