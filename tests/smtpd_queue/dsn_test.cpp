// RFC 3464 reports: exact header and delivery-status text, both languages in the
// human-readable part, and the original per RET.

#include "smtpd/queue/dsn.hpp"

#include <gtest/gtest.h>

#include "common/base64.hpp"
#include "mime/parse.hpp"

namespace govmail::smtpd {
namespace {

const std::string kOriginal =
    "From: alice@example.go.kr\r\nTo: bob@example.org\r\nSubject: hello\r\n\r\nsecret body\r\n";

DsnReport failure_report() {
    DsnReport report;
    report.reporting_mta = "mail.example.go.kr";
    report.sender = "alice@example.go.kr";
    report.envid = "QQ314159";
    report.arrival_date = 1'700'000'000;
    report.date = 1'700'000'060;
    report.unique = "0123abcd";
    report.return_full = true;
    report.original = kOriginal;
    report.recipients.push_back(DsnRecipient{
        "bob@example.org", "rfc822;Bob@example.org", DsnAction::Failed, "5.1.1", "mx.example.org",
        "550 5.1.1 <bob@example.org>: user unknown"});
    report.recipients.push_back(DsnRecipient{
        "carol@example.org", "", DsnAction::Failed, "4.4.7", "", ""});
    return report;
}

// The text between "--boundary\r\n" number INDEX (0-based) and the next boundary line.
std::string part(const std::string& message, const std::string& boundary, int index) {
    const std::string delimiter = "\r\n--" + boundary;
    std::size_t start = message.find(delimiter);
    for (int i = 0; i < index; ++i) {
        start = message.find(delimiter, start + 1);
    }
    start += delimiter.size() + 2;
    return message.substr(start, message.find(delimiter, start) - start);
}

TEST(Dsn, FailureReportHeader) {
    const std::string dsn = compose_dsn(failure_report());
    const std::string header = dsn.substr(0, dsn.find("\r\n\r\n") + 4);
    EXPECT_EQ(
        header,
        "From: Mail Delivery System <MAILER-DAEMON@mail.example.go.kr>\r\n"
        "To: <alice@example.go.kr>\r\n"
        "Subject: Undelivered Mail Returned to Sender / =?UTF-8?B?" +
            encode_base64("반송된 메일") +
            "?=\r\n"
            "Date: Tue, 14 Nov 2023 22:14:20 +0000\r\n"
            "Message-ID: <0123abcd@mail.example.go.kr>\r\n"
            "Auto-Submitted: auto-replied\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=delivery-status;\r\n"
            "\tboundary=\"0123abcd/mail.example.go.kr\"\r\n\r\n"
    );
    EXPECT_TRUE(dsn.ends_with("\r\n--0123abcd/mail.example.go.kr--\r\n"));
}

TEST(Dsn, HumanReadablePartInEnglishAndKorean) {
    const std::string dsn = compose_dsn(failure_report());
    const std::string notification = part(dsn, "0123abcd/mail.example.go.kr", 0);
    const std::string head =
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Description: Notification\r\n\r\n";
    ASSERT_TRUE(notification.starts_with(head));
    std::string encoded;
    for (char c : notification.substr(head.size())) {
        if (c != '\r' && c != '\n') {
            encoded.push_back(c);
        }
    }
    const auto text = decode_base64_strict(encoded);
    ASSERT_TRUE(text);
    EXPECT_NE(text->find("Your message could not be delivered"), std::string::npos);
    EXPECT_NE(text->find("보내신 메일을 다음 수신자에게 전달하지 못했습니다."), std::string::npos);
    EXPECT_NE(
        text->find("  <bob@example.org>: 550 5.1.1 <bob@example.org>: user unknown\r\n"),
        std::string::npos
    );
}

TEST(Dsn, DeliveryStatusFields) {
    const std::string dsn = compose_dsn(failure_report());
    EXPECT_EQ(
        part(dsn, "0123abcd/mail.example.go.kr", 1),
        "Content-Type: message/delivery-status\r\n"
        "Content-Description: Delivery report\r\n"
        "\r\n"
        "Reporting-MTA: dns; mail.example.go.kr\r\n"
        "Original-Envelope-Id: QQ314159\r\n"
        "Arrival-Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
        "\r\n"
        "Final-Recipient: rfc822; bob@example.org\r\n"
        "Original-Recipient: rfc822;Bob@example.org\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Remote-MTA: dns; mx.example.org\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: user unknown\r\n"
        "\r\n"
        "Final-Recipient: rfc822; carol@example.org\r\n"
        "Action: failed\r\n"
        "Status: 4.4.7\r\n"
    );
}

TEST(Dsn, ReturnFullCarriesTheWholeMessage) {
    const std::string dsn = compose_dsn(failure_report());
    EXPECT_EQ(
        part(dsn, "0123abcd/mail.example.go.kr", 2),
        "Content-Type: message/rfc822\r\nContent-Description: Undelivered message\r\n\r\n" +
            kOriginal
    );
}

TEST(Dsn, ReturnHeadersCarriesOnlyTheHeader) {
    auto report = failure_report();
    report.return_full = false;
    report.envid.clear();
    const std::string dsn = compose_dsn(report);
    EXPECT_EQ(dsn.find("Original-Envelope-Id"), std::string::npos);
    EXPECT_EQ(
        part(dsn, "0123abcd/mail.example.go.kr", 2),
        "Content-Type: text/rfc822-headers\r\n"
        "Content-Description: Undelivered message headers\r\n\r\n"
        "From: alice@example.go.kr\r\nTo: bob@example.org\r\nSubject: hello\r\n\r\n"
    );
    EXPECT_EQ(dsn.find("secret body"), std::string::npos);
}

TEST(Dsn, SuccessReportNeverReturnsTheBody) {
    auto report = failure_report();
    report.recipients = {DsnRecipient{
        "bob@example.org", "", DsnAction::Delivered, "2.0.0", "mx.example.org", "250 2.0.0 Ok"}};
    const std::string dsn = compose_dsn(report);
    EXPECT_NE(dsn.find("Subject: Successful Mail Delivery Report / "), std::string::npos);
    EXPECT_NE(dsn.find("\r\nAction: delivered\r\nStatus: 2.0.0\r\n"), std::string::npos);
    EXPECT_NE(dsn.find("Content-Type: text/rfc822-headers\r\n"), std::string::npos);
    EXPECT_EQ(dsn.find("secret body"), std::string::npos);
}

TEST(Dsn, RemoteTextCannotBreakTheReport) {
    auto report = failure_report();
    report.recipients[0].diagnostic = "550 evil\r\nAction: delivered";
    report.recipients[0].final_recipient = "사용자@example.org";
    const std::string dsn = compose_dsn(report);
    EXPECT_NE(
        dsn.find("Diagnostic-Code: smtp; 550 evil\\x0d\\x0aAction: delivered\r\n"),
        std::string::npos
    );
    EXPECT_NE(dsn.find("Final-Recipient: utf-8; "), std::string::npos);
}

TEST(Dsn, IsAWellFormedMultipartReport) {
    const auto parsed = mime::parse(compose_dsn(failure_report()));
    EXPECT_NE(parsed.body_structure.find("\"REPORT\""), std::string::npos) << parsed.body_structure;
    EXPECT_NE(parsed.body_structure.find("\"DELIVERY-STATUS\""), std::string::npos);
    EXPECT_NE(parsed.body_structure.find("\"RFC822\""), std::string::npos);
    EXPECT_EQ(parsed.from, "Mail Delivery System <MAILER-DAEMON@mail.example.go.kr>");
}

}  // namespace
}  // namespace govmail::smtpd
