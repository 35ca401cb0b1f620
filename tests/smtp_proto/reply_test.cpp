#include "smtpd/proto/reply.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace govmail::smtp {
namespace {

std::vector<std::string> split_lines(const std::string& reply) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < reply.size()) {
        const std::size_t end = reply.find("\r\n", start);
        EXPECT_NE(end, std::string::npos) << "every line ends in CRLF";
        if (end == std::string::npos) {
            break;
        }
        lines.push_back(reply.substr(start, end - start));
        start = end + 2;
    }
    return lines;
}

TEST(FormatReply, SingleLine) {
    EXPECT_EQ(format_reply(250, "2.0.0", "OK"), "250 2.0.0 OK\r\n");
    EXPECT_EQ(format_reply(220, "", "mail.example.com ESMTP"), "220 mail.example.com ESMTP\r\n");
    EXPECT_EQ(
        format_reply(354, "", "End data with <CR><LF>.<CR><LF>"),
        "354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    EXPECT_EQ(format_reply(250, "2.0.0", ""), "250 2.0.0\r\n");
    EXPECT_EQ(format_reply(250, "", ""), "250\r\n");
}

TEST(FormatReply, MultiLine) {
    const std::vector<std::string_view> lines{"first", "second", "third"};
    EXPECT_EQ(
        format_reply(550, "5.7.1", lines),
        "550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 third\r\n"
    );
}

TEST(FormatReply, NoLinesGivesOneEmptyLine) {
    EXPECT_EQ(format_reply(250, "2.0.0", std::span<const std::string_view>{}), "250 2.0.0\r\n");
}

TEST(FormatReply, CrLfCannotInjectLines) {
    EXPECT_EQ(
        format_reply(250, "2.0.0", "OK\r\n250 2.0.0 forged"), "250 2.0.0 OK  250 2.0.0 forged\r\n"
    );
    EXPECT_EQ(format_reply(550, "", "a\nb\rc"), "550 a b c\r\n");
}

TEST(FormatReply, NonPrintableOctetsAreReplaced) {
    EXPECT_EQ(format_reply(550, "", std::string("a\0b\x7F\xC3\xBC\tc", 8)), "550 a?b???\tc\r\n");
}

TEST(FormatReply, LongTextWrapsWithinLineLimit) {
    std::string text = "word0";
    for (int i = 1; i < 300; ++i) {
        text += " word" + std::to_string(i);
    }
    const std::string reply = format_reply(550, "5.7.1", text);
    const std::vector<std::string> lines = split_lines(reply);
    ASSERT_GT(lines.size(), 1u);
    std::string rejoined;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        EXPECT_LE(lines[i].size() + 2, kMaxReplyLine);
        const std::string prefix = i + 1 < lines.size() ? "550-5.7.1 " : "550 5.7.1 ";
        ASSERT_EQ(lines[i].substr(0, prefix.size()), prefix);
        rejoined += (i == 0 ? "" : " ") + lines[i].substr(prefix.size());
    }
    EXPECT_EQ(rejoined, text);  // wrapped at spaces, nothing lost
}

TEST(FormatReply, LongWordIsCutAtTheLimit) {
    const std::string reply = format_reply(500, "", std::string(2000, 'x'));
    for (const std::string& line : split_lines(reply)) {
        EXPECT_LE(line.size() + 2, kMaxReplyLine);
    }
    EXPECT_EQ(split_lines(reply).size(), 4u);
}

// RFC 4954 section 4: continue-req = "334" SP [base64] CRLF.
TEST(FormatSaslChallenge, KeepsTheSpaceBeforeAnEmptyChallenge) {
    EXPECT_EQ(format_sasl_challenge(""), "334 \r\n");
    EXPECT_EQ(format_sasl_challenge("VXNlcm5hbWU6"), "334 VXNlcm5hbWU6\r\n");
}

TEST(FormatSaslChallenge, LongChallengeStaysOneLine) {
    const std::string challenge(2000, 'A');
    EXPECT_EQ(format_sasl_challenge(challenge), "334 " + challenge + "\r\n");
}

TEST(FormatEhloReply, ListsCapabilities) {
    EhloCapabilities capabilities;
    capabilities.size = 26214400;
    capabilities.chunking = true;
    capabilities.smtputf8 = true;
    capabilities.dsn = true;
    capabilities.starttls = true;
    capabilities.auth_mechanisms = {"PLAIN", "XOAUTH2"};
    EXPECT_EQ(
        format_ehlo_reply("mail.example.com", capabilities),
        "250-mail.example.com\r\n"
        "250-PIPELINING\r\n"
        "250-SIZE 26214400\r\n"
        "250-8BITMIME\r\n"
        "250-CHUNKING\r\n"
        "250-SMTPUTF8\r\n"
        "250-DSN\r\n"
        "250-ENHANCEDSTATUSCODES\r\n"
        "250-STARTTLS\r\n"
        "250 AUTH PLAIN XOAUTH2\r\n"
    );
}

TEST(FormatEhloReply, NothingOfferedIsOneLine) {
    const EhloCapabilities none{
        .pipelining = false, .eight_bit_mime = false, .enhanced_status_codes = false};
    EXPECT_EQ(format_ehlo_reply("mx.example.com", none), "250 mx.example.com\r\n");
}

}  // namespace
}  // namespace govmail::smtp
