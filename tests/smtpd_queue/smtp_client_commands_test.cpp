// What the outbound client says: MAIL/RCPT parameters per the server's EHLO extensions,
// xtext, and how replies map to recipient outcomes; plus relay host syntax.

#include <gtest/gtest.h>

#include "smtpd/proto/esmtp_params.hpp"
#include "smtpd/proto/reply.hpp"
#include "smtpd/queue/ehlo_extensions.hpp"
#include "smtpd/queue/routing.hpp"
#include "smtpd/queue/smtp_client.hpp"

namespace govmail::smtpd {
namespace {

smtp::Reply parse(const std::string& text) {
    smtp::ReplyParser parser;
    std::string_view input = text;
    return std::get<smtp::Reply>(parser.read(input));
}

TEST(EhloExtensions, ReadsWhatOurServerAdvertises) {
    smtp::EhloCapabilities capabilities;
    capabilities.size = 1000;
    capabilities.dsn = true;
    capabilities.smtputf8 = true;
    capabilities.starttls = true;
    capabilities.auth_mechanisms = {"PLAIN"};
    const auto ext =
        smtp::parse_ehlo_extensions(parse(smtp::format_ehlo_reply("mx.example.org", capabilities)));
    EXPECT_EQ(ext, (smtp::EhloExtensions{true, true, true, true, true, 1000}));
}

TEST(EhloExtensions, NothingOfferedAndOddSize) {
    EXPECT_EQ(smtp::parse_ehlo_extensions(parse("250 mx.example.org\r\n")), smtp::EhloExtensions{});
    const auto ext = smtp::parse_ehlo_extensions(parse("250-mx\r\n250-size\r\n250 SIZE x\r\n"));
    EXPECT_EQ(ext.size, std::optional<std::uint64_t>(0));
}

TEST(Xtext, EncodesWhatDecodeXtextReads) {
    EXPECT_EQ(encode_xtext("plain@example.org"), "plain@example.org");
    EXPECT_EQ(encode_xtext("a+b=c d"), "a+2Bb+3Dc+20d");
    EXPECT_EQ(encode_xtext("사용자"), "+EC+82+AC+EC+9A+A9+EC+9E+90");
    for (const std::string text : {"a+b=c d", "사용자@example.org", "<id.123@host>"}) {
        EXPECT_EQ(smtp::decode_xtext(encode_xtext(text)), text);
    }
}

const Envelope kEnvelope{
    "alice@example.go.kr",
    "id 42",
    false,
    {{"bob@example.org", "rfc822;Bob+x@example.org", "SUCCESS,FAILURE"},
     {"carol@example.org", "", "NEVER"}}};

TEST(MailCommand, PlainServerGetsNoParameters) {
    EXPECT_EQ(
        mail_command(kEnvelope, 1234, true, smtp::EhloExtensions{}),
        "MAIL FROM:<alice@example.go.kr>\r\n"
    );
    EXPECT_EQ(
        rcpt_command(kEnvelope.recipients[0], smtp::EhloExtensions{}),
        "RCPT TO:<bob@example.org>\r\n"
    );
}

TEST(MailCommand, DsnSizeAndEightBitWhenOffered) {
    const smtp::EhloExtensions ext{false, true, true, true, true, 0};
    EXPECT_EQ(
        mail_command(kEnvelope, 1234, true, ext),
        "MAIL FROM:<alice@example.go.kr> SIZE=1234 BODY=8BITMIME RET=HDRS ENVID=id+2042\r\n"
    );
    EXPECT_EQ(
        rcpt_command(kEnvelope.recipients[0], ext),
        "RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob+2Bx@example.org\r\n"
    );
    EXPECT_EQ(
        rcpt_command(kEnvelope.recipients[1], ext), "RCPT TO:<carol@example.org> NOTIFY=NEVER\r\n"
    );
}

TEST(MailCommand, NullSenderAndSmtputf8) {
    Envelope bounce{"", "", true, {{"사용자@example.org", "", "NEVER"}}};
    const smtp::EhloExtensions ext{false, false, false, false, true, std::nullopt};
    EXPECT_EQ(mail_command(bounce, 10, false, ext), "MAIL FROM:<> SMTPUTF8\r\n");
}

TEST(RecipientReply, OutcomeFollowsTheReplyClass) {
    const auto ok = recipient_reply(parse("250 2.1.5 Ok\r\n"));
    EXPECT_EQ(ok.outcome, AttemptOutcome::Accepted);
    EXPECT_EQ(ok.status, "2.1.5");
    const auto later = recipient_reply(parse("451 try later\r\n"));
    EXPECT_EQ(later.outcome, AttemptOutcome::Transient);
    EXPECT_EQ(later.status, "4.0.0");
    EXPECT_EQ(later.reply, "451 try later");
    const auto never = recipient_reply(parse("550-5.1.1 no such\r\n550 5.1.1 user\r\n"));
    EXPECT_EQ(never.outcome, AttemptOutcome::Permanent);
    EXPECT_EQ(never.status, "5.1.1");
    EXPECT_EQ(never.reply, "550 5.1.1 no such 5.1.1 user");
}

TEST(RelayHost, Syntax) {
    EXPECT_EQ(parse_relay_host("smtp.example.org:587"), (Destination{"smtp.example.org", 587}));
    EXPECT_EQ(parse_relay_host("smtp.example.org"), (Destination{"smtp.example.org", 25}));
    EXPECT_EQ(parse_relay_host("[2001:db8::1]:2525"), (Destination{"2001:db8::1", 2525}));
    EXPECT_EQ(parse_relay_host("127.0.0.1:2525"), (Destination{"127.0.0.1", 2525}));
    EXPECT_FALSE(parse_relay_host(":25"));
    EXPECT_FALSE(parse_relay_host("host:0"));
    EXPECT_FALSE(parse_relay_host("host:x"));
    EXPECT_FALSE(parse_relay_host("[::1"));
    EXPECT_EQ(recipient_domain("User@Example.ORG"), "example.org");
}

TEST(ClientTimeouts, ScaledFromRfc5321) {
    const auto rfc = ClientTimeouts::scaled(100, std::chrono::seconds(30));
    EXPECT_EQ(rfc.greeting, std::chrono::minutes(5));
    EXPECT_EQ(rfc.data_initiation, std::chrono::minutes(2));
    EXPECT_EQ(rfc.data_block, std::chrono::minutes(3));
    EXPECT_EQ(rfc.data_termination, std::chrono::minutes(10));
    const auto quick = ClientTimeouts::scaled(1, std::chrono::seconds(2));
    EXPECT_EQ(quick.greeting, std::chrono::seconds(3));
    EXPECT_EQ(quick.connect, std::chrono::seconds(2));
}

}  // namespace
}  // namespace govmail::smtpd
