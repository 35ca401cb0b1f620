// Away auto-replies, the pure part: who gets no reply (RFC 3834 2 and 5, RFC 5230 4.6), what
// a setting's dates and scope allow, and the reply's header and body, including hostile input
// in the fields the reply copies.

#include "smtpd/lib/autoreply.hpp"

#include <gtest/gtest.h>

#include "common/base64.hpp"
#include "mime/header.hpp"

namespace govmail::smtpd::autoreply {
namespace {

constexpr std::string_view kAccount = "away@example.go.kr";

Incoming incoming(std::string_view sender, const std::string& header) {
    const std::string raw = header + "\r\nbody\r\n";
    return read_incoming(sender, raw, mime::parse(raw));
}

storage::AutoReplySetting away_setting() {
    storage::AutoReplySetting s;
    s.account = 7;
    s.address = std::string(kAccount);
    s.display_name = "홍길동";
    s.enabled = true;
    s.subject = "부재중 / Out of office";
    s.body = "I am away until Monday.\n휴가 중입니다.";
    return s;
}

ReplyContext context(bool in_organisation = false) {
    ReplyContext c;
    c.today = "2026-03-10";
    c.sender_in_organisation = in_organisation;
    c.hostname = "mail.example.go.kr";
    c.now = 1'773'100'800;
    c.unique = "0123456789ABCDEF.7";
    return c;
}

const std::string kAddressed = "From: bob@remote.test\r\nTo: Away <away@example.go.kr>\r\n";

struct MessageCase {
    std::string name;
    std::string sender;
    std::string header;
    std::optional<NoReply> want;
};

void PrintTo(const MessageCase& c, std::ostream* os) { *os << c.name; }

class MessageExclusion : public ::testing::TestWithParam<MessageCase> {};

TEST_P(MessageExclusion, FollowsRfc3834AndRfc5230) {
    const auto& c = GetParam();
    EXPECT_EQ(message_exclusion(incoming(c.sender, c.header)), c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    MessageExclusion,
    ::testing::Values(
        MessageCase{"ordinary", "bob@remote.test", kAddressed, std::nullopt},
        MessageCase{"null_sender", "", kAddressed, NoReply::NullSender},
        MessageCase{"no_domain", "postmaster", kAddressed, NoReply::InvalidSender},
        MessageCase{"control_char", "bo\x01@remote.test", kAddressed, NoReply::InvalidSender},
        MessageCase{
            "mailer_daemon", "MAILER-DAEMON@remote.test", kAddressed, NoReply::SystemSender},
        MessageCase{"owner", "owner-staff@lists.test", kAddressed, NoReply::SystemSender},
        MessageCase{"request", "staff-REQUEST@lists.test", kAddressed, NoReply::SystemSender},
        MessageCase{"postmaster", "Postmaster@remote.test", kAddressed, NoReply::SystemSender},
        MessageCase{"abuse", "abuse@remote.test", kAddressed, NoReply::SystemSender},
        MessageCase{"listserv", "listserv@lists.test", kAddressed, NoReply::SystemSender},
        MessageCase{"majordomo", "Majordomo@lists.test", kAddressed, NoReply::SystemSender},
        MessageCase{"owner_later", "bob-owner-x@remote.test", kAddressed, std::nullopt},
        MessageCase{
            "auto_no", "bob@remote.test", kAddressed + "Auto-Submitted: no\r\n", std::nullopt},
        MessageCase{
            "auto_no_comment", "bob@remote.test", kAddressed + "Auto-Submitted: No (by hand)\r\n",
            std::nullopt},
        MessageCase{
            "auto_generated", "bob@remote.test", kAddressed + "Auto-Submitted: auto-generated\r\n",
            NoReply::AutoSubmitted},
        MessageCase{
            "auto_replied_params", "bob@remote.test",
            kAddressed + "Auto-Submitted: auto-replied; owner-email=\"x@y\"\r\n",
            NoReply::AutoSubmitted},
        MessageCase{
            "auto_folded", "bob@remote.test", kAddressed + "Auto-Submitted:\r\n auto-notified\r\n",
            NoReply::AutoSubmitted},
        MessageCase{
            "auto_empty", "bob@remote.test", kAddressed + "Auto-Submitted: \r\n",
            NoReply::AutoSubmitted},
        MessageCase{
            "auto_second_field", "bob@remote.test",
            kAddressed + "Auto-Submitted: no\r\nAuto-Submitted: auto-generated\r\n",
            NoReply::AutoSubmitted},
        MessageCase{
            "list_id", "bob@remote.test", kAddressed + "List-Id: <staff.lists.test>\r\n",
            NoReply::ListMail},
        MessageCase{
            "list_unsubscribe", "bob@remote.test",
            kAddressed + "list-unsubscribe: <mailto:x@lists.test>\r\n", NoReply::ListMail},
        MessageCase{
            "precedence_bulk", "bob@remote.test", kAddressed + "Precedence: BULK\r\n",
            NoReply::ListMail},
        MessageCase{
            "precedence_list", "bob@remote.test", kAddressed + "Precedence: list\r\n",
            NoReply::ListMail},
        MessageCase{
            "precedence_junk", "bob@remote.test", kAddressed + "Precedence: junk\r\n",
            NoReply::ListMail},
        MessageCase{
            "precedence_urgent", "bob@remote.test", kAddressed + "Precedence: urgent\r\n",
            std::nullopt},
        MessageCase{
            "suppress_oof", "bob@remote.test", kAddressed + "X-Auto-Response-Suppress: DR, OOF\r\n",
            NoReply::Suppressed},
        MessageCase{
            "suppress_dr", "bob@remote.test", kAddressed + "X-Auto-Response-Suppress: DR\r\n",
            std::nullopt}
    ),
    [](const auto& test) { return test.param.name; }
);

struct SettingCase {
    std::string name;
    std::string header;
    std::function<void(storage::AutoReplySetting&, ReplyContext&)> adjust;
    std::optional<NoReply> want;
};

void PrintTo(const SettingCase& c, std::ostream* os) { *os << c.name; }

class ReplyExclusion : public ::testing::TestWithParam<SettingCase> {};

TEST_P(ReplyExclusion, AppliesTheSetting) {
    const auto& c = GetParam();
    auto setting = away_setting();
    auto ctx = context();
    c.adjust(setting, ctx);
    EXPECT_EQ(reply_exclusion(incoming("bob@remote.test", c.header), setting, ctx), c.want);
}

const auto kNoChange = [](storage::AutoReplySetting&, ReplyContext&) {};

INSTANTIATE_TEST_SUITE_P(
    Table,
    ReplyExclusion,
    ::testing::Values(
        SettingCase{"to", kAddressed, kNoChange, std::nullopt},
        SettingCase{
            "cc_upper_case", "To: someone@example.go.kr\r\nCc: x@y.test, AWAY@Example.Go.Kr\r\n",
            kNoChange, std::nullopt},
        SettingCase{
            "folded_group", "To: staff:\r\n a@b.test,\r\n away@example.go.kr;\r\n", kNoChange,
            std::nullopt},
        SettingCase{
            "resent_to", "To: list@example.go.kr\r\nResent-To: away@example.go.kr\r\n", kNoChange,
            std::nullopt},
        SettingCase{
            "bcc_only", "To: someone@example.go.kr\r\nBcc: away@example.go.kr\r\n", kNoChange,
            NoReply::NotAddressed},
        SettingCase{
            "no_recipients_field", "From: bob@remote.test\r\n", kNoChange, NoReply::NotAddressed},
        SettingCase{
            "similar_address", "To: xaway@example.go.kr, away@example.go.kr.evil\r\n", kNoChange,
            NoReply::NotAddressed},
        SettingCase{"list_wins", kAddressed + "List-Id: <x>\r\n", kNoChange, NoReply::ListMail},
        SettingCase{
            "disabled", kAddressed, [](auto& s, auto&) { s.enabled = false; }, NoReply::Disabled},
        SettingCase{
            "first_day", kAddressed, [](auto& s, auto&) { s.starts_on = "2026-03-10"; },
            std::nullopt},
        SettingCase{
            "before_first_day", kAddressed, [](auto& s, auto&) { s.starts_on = "2026-03-11"; },
            NoReply::NotStarted},
        SettingCase{
            "last_day", kAddressed, [](auto& s, auto&) { s.ends_on = "2026-03-10"; }, std::nullopt},
        SettingCase{
            "after_last_day", kAddressed, [](auto& s, auto&) { s.ends_on = "2026-03-09"; },
            NoReply::Ended},
        SettingCase{
            "within_range", kAddressed,
            [](auto& s, auto&) {
                s.starts_on = "2026-02-28";
                s.ends_on = "2026-12-31";
            },
            std::nullopt},
        SettingCase{
            "organisation_outside", kAddressed,
            [](auto& s, auto&) { s.scope = storage::AutoReplyScope::Organisation; },
            NoReply::OutsideOrganisation},
        SettingCase{
            "organisation_inside", kAddressed,
            [](auto& s, auto& c) {
                s.scope = storage::AutoReplyScope::Organisation;
                c.sender_in_organisation = true;
            },
            std::nullopt},
        SettingCase{
            "own_message", kAddressed, [](auto& s, auto&) { s.address = "Bob@Remote.test"; },
            NoReply::OwnMessage}
    ),
    [](const auto& test) { return test.param.name; }
);

// The header of MESSAGE as name -> unfolded value (the last of each name).
std::map<std::string, std::string> header_of(const std::string& message) {
    std::map<std::string, std::string> out;
    for (const auto& f : mime::scan_header(message).fields) {
        out[std::string(f.name)] = mime::unfold(f.value);
    }
    return out;
}

std::string body_of(const std::string& message) {
    return message.substr(mime::scan_header(message).body_begin);
}

TEST(ComposeReply, CarriesTheRfc3834Fields) {
    const auto message = incoming(
        "bob@remote.test", kAddressed +
                               "Subject: Budget\r\nMessage-ID: <m2@remote.test>\r\n"
                               "References: <m0@remote.test>\r\n <m1@remote.test>\r\n"
    );
    const auto reply = compose_reply(message, away_setting(), context());
    auto h = header_of(reply);
    EXPECT_EQ(h["From"], "=?UTF-8?B?" + encode_base64("홍길동") + "?= <away@example.go.kr>");
    EXPECT_EQ(h["To"], "<bob@remote.test>");
    EXPECT_EQ(h["Subject"], "=?UTF-8?B?" + encode_base64("부재중 / Out of office") + "?=");
    EXPECT_EQ(h["Auto-Submitted"], "auto-replied");
    EXPECT_EQ(h["In-Reply-To"], "<m2@remote.test>");
    EXPECT_EQ(h["References"], "<m0@remote.test> <m1@remote.test> <m2@remote.test>");
    EXPECT_EQ(h["Message-ID"], "<0123456789ABCDEF.7@mail.example.go.kr>");
    EXPECT_EQ(h["Date"], "Tue, 10 Mar 2026 00:00:00 +0000");
    EXPECT_EQ(h["Content-Type"], "text/plain; charset=UTF-8");
    EXPECT_EQ(h["Content-Transfer-Encoding"], "base64");
    std::string encoded = body_of(reply);
    std::erase(encoded, '\r');
    std::erase(encoded, '\n');
    EXPECT_EQ(decode_base64_strict(encoded), "I am away until Monday.\r\n휴가 중입니다.\r\n");
    // Every line ends in CRLF and none is long.
    for (std::size_t pos = 0; pos < reply.size();) {
        const auto end = reply.find("\r\n", pos);
        ASSERT_NE(end, std::string::npos);
        EXPECT_LE(end - pos, 78u) << reply.substr(pos, end - pos);
        EXPECT_EQ(reply.substr(pos, end - pos).find('\n'), std::string::npos);
        pos = end + 2;
    }
}

TEST(ComposeReply, DefaultSubjectAndPlainBody) {
    auto setting = away_setting();
    setting.subject = "";
    setting.display_name = "Kim \"Away\"";
    setting.body = "Back on Monday.";
    const auto message = incoming("bob@remote.test", kAddressed + "Subject: Lunch?\r\n");
    const auto reply = compose_reply(message, setting, context());
    auto h = header_of(reply);
    EXPECT_EQ(h["Subject"], "Auto: Lunch?");
    EXPECT_EQ(h["From"], "\"Kim \\\"Away\\\"\" <away@example.go.kr>");
    EXPECT_EQ(h["Content-Transfer-Encoding"], "7bit");
    EXPECT_EQ(h.count("In-Reply-To"), 0u);  // the original had no Message-ID
    EXPECT_EQ(h.count("References"), 0u);
    EXPECT_EQ(body_of(reply), "Back on Monday.\r\n");
}

TEST(ComposeReply, LongKoreanSubjectIsSplitIntoShortEncodedWords) {
    auto setting = away_setting();
    setting.subject = "";
    std::string subject;
    for (int i = 0; i < 40; ++i) {
        subject += "가나다";
    }
    const auto message = incoming("bob@remote.test", kAddressed + "Subject: " + subject + "\r\n");
    const auto reply = compose_reply(message, setting, context());
    const auto parsed = mime::parse(reply);
    // Cut to the limit on a character boundary, and decodes back to the same text.
    EXPECT_TRUE(parsed.subject.starts_with("Auto: 가나다가나다")) << parsed.subject;
    EXPECT_LE(parsed.subject.size(), 250u);
    EXPECT_EQ(parsed.subject.size() % 3, 6u % 3);  // "Auto: " then whole 3-byte characters
}

TEST(ComposeReply, HostileFieldsNeverBreakTheHeader) {
    // Encoded-words that decode to line ends, a Message-ID with a line end inside, and a
    // References field with junk: only well-formed msg-ids are copied.
    const std::string raw = kAddressed + "Subject: =?UTF-8?B?" +
                            encode_base64("hi\r\nBcc: victim@x.test") +
                            "?=\r\n"
                            "Message-ID: <a@b.test>\r\n"
                            "References: <x@y.test> <bad id@z.test> garbage <\"q\"@z.test>\r\n";
    const auto message = incoming("bob@remote.test", raw);
    auto setting = away_setting();
    setting.subject = "";
    setting.display_name = "evil\r\nBcc: victim@x.test";
    const auto reply = compose_reply(message, setting, context());
    auto h = header_of(reply);
    EXPECT_EQ(h.count("Bcc"), 0u);
    EXPECT_EQ(h["Subject"], "Auto: hi Bcc: victim@x.test");
    EXPECT_EQ(h["References"], "<x@y.test> <\"q\"@z.test> <a@b.test>");

    const auto no_id = incoming("bob@remote.test", kAddressed + "Message-ID: <a\r\n b@c>\r\n");
    EXPECT_EQ(no_id.message_id, "");
}

TEST(ComposeReply, ReferencesAreBounded) {
    std::string refs = "References:";
    for (int i = 0; i < 50; ++i) {
        refs += " <r" + std::to_string(i) + "@x.test>";
    }
    const auto message =
        incoming("bob@remote.test", kAddressed + refs + "\r\nMessage-ID: <last@x.test>\r\n");
    auto h = header_of(compose_reply(message, away_setting(), context()));
    EXPECT_EQ(
        h["References"],
        "<r0@x.test> <r42@x.test> <r43@x.test> <r44@x.test> <r45@x.test> <r46@x.test> "
        "<r47@x.test> <r48@x.test> <r49@x.test> <last@x.test>"
    );
}

TEST(ComposeReply, InReplyToStandsInForMissingReferences) {
    const auto message = incoming(
        "bob@remote.test",
        kAddressed + "In-Reply-To: <parent@x.test>\r\nMessage-ID: <child@x.test>\r\n"
    );
    auto h = header_of(compose_reply(message, away_setting(), context()));
    EXPECT_EQ(h["References"], "<parent@x.test> <child@x.test>");
}

TEST(LocalDate, IsTheLocalCalendarDay) {
    setenv("TZ", "Asia/Seoul", 1);
    tzset();
    EXPECT_EQ(local_date(1'773'100'800), "2026-03-10");  // 09:00 in Seoul
    EXPECT_EQ(local_date(1'773'100'800 - 9 * 3600 - 1), "2026-03-09");
    unsetenv("TZ");
    tzset();
}

}  // namespace
}  // namespace govmail::smtpd::autoreply
