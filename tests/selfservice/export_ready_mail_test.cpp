// The "backup ready" mail: the link built from the portal's base_url, and a message whose
// parts a mail reader shows: the headers, and the text in Korean and then in English with
// the link and the expiry in each.

#include "selfservice/export_ready_mail.hpp"

#include <gtest/gtest.h>

#include "mime/transfer_encoding.hpp"

namespace govmail::selfservice {
namespace {

const std::string kToken(64, 'a');

TEST(ExportReadyMail, LinkJoinsTheBaseUrlOnce) {
    const auto want = "https://mail.example/backup/link?token=" + kToken;
    EXPECT_EQ(export_link("https://mail.example", kToken), want);
    EXPECT_EQ(export_link("https://mail.example//", kToken), want);
}

TEST(ExportReadyMail, KoreanThenEnglishWithTheLinkInEach) {
    const auto link = export_link("https://mail.example", kToken);
    const auto mail = export_ready_mail(ExportReadyNotice{
        "jihun.park@example.go.kr", "mail.example", 42, link, 1798761600, 0});
    const auto split = mail.find("\r\n\r\n");
    ASSERT_NE(split, std::string::npos);
    const auto headers = mail.substr(0, split + 2);
    EXPECT_NE(headers.find("To: <jihun.park@example.go.kr>\r\n"), std::string::npos);
    EXPECT_NE(headers.find("Message-ID: <export-42-ready@mail.example>\r\n"), std::string::npos);
    EXPECT_NE(headers.find("Auto-Submitted: auto-generated\r\n"), std::string::npos);
    EXPECT_NE(headers.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
    const auto text = mime::decode_base64(mail.substr(split + 4));
    const auto korean = text.find("메일함 백업이 준비되었습니다.");
    const auto english = text.find("Your mailbox backup is ready.");
    ASSERT_NE(korean, std::string::npos);
    ASSERT_NE(english, std::string::npos);
    EXPECT_LT(korean, english);
    EXPECT_NE(text.find(link), text.rfind(link));  // once in each language
    EXPECT_NE(text.find("2027-01-01 00:00 UTC까지"), std::string::npos);
    EXPECT_NE(text.find("until 2027-01-01 00:00 UTC"), std::string::npos);
}

}  // namespace
}  // namespace govmail::selfservice
