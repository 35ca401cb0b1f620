// Base subjects (RFC 5256 section 2.1) with the Korean reply and forward prefixes, the
// casemap-like folding, and the address sort keys (RFC 5256 FROM/TO/CC, RFC 5957 DISPLAY*).

#include "mime/base_subject.hpp"

#include <gtest/gtest.h>

#include "mime/address_sort_keys.hpp"
#include "mime/encoded_words.hpp"

namespace govmail::mime {
namespace {

struct Case {
    std::string_view subject;
    std::string_view base;
    bool reply;
};

TEST(BaseSubject, Rfc5256Rules) {
    const Case cases[] = {
        {"Hello", "hello", false},
        {"  Hello   world\t ", "hello world", false},
        {"Re: Hello", "hello", true},
        {"RE:Hello", "hello", true},
        {"Fwd: Hello", "hello", true},
        {"FW: Hello", "hello", true},
        {"Re[2]: Hello", "hello", true},
        {"Re [3] : Hello", "hello", true},
        {"[list] Re: Hello", "hello", true},
        {"Re: [list] Re: Fwd: Hello", "hello", true},
        {"[list] Hello", "hello", false},
        {"[list]", "[list]", false},  // a blob alone is the base
        {"Hello (fwd)", "hello", true},
        {"Hello (FWD) (fwd)", "hello", true},
        {"[Fwd: Hello]", "hello", true},
        {"[fwd: Re: Hello (fwd)]", "hello", true},
        {"Rebate", "rebate", false},  // "re" needs its colon
        {"Re Hello", "re hello", false},
        {"", "", false},
        {"Re:", "", true},
    };
    for (const auto& c : cases) {
        const auto base = base_subject(c.subject);
        EXPECT_EQ(base.text, c.base) << c.subject;
        EXPECT_EQ(base.reply, c.reply) << c.subject;
    }
}

TEST(BaseSubject, KoreanPrefixes) {
    const Case cases[] = {
        {"회신: 예산 검토", "예산 검토", true},
        {"전달: 예산 검토", "예산 검토", true},
        {"답장: 예산 검토", "예산 검토", true},
        {"회신 : Re: 전달: 예산 검토", "예산 검토", true},
        {"[공지] 회신: 예산 검토", "예산 검토", true},
        {"회신합니다: 예산", "회신합니다: 예산", false},
        {"ＲＥ： 예산", "예산", true},  // full-width forms fold to ASCII first
        {"Ｒｅ: 예산", "예산", true},
    };
    for (const auto& c : cases) {
        const auto base = base_subject(c.subject);
        EXPECT_EQ(base.text, c.base) << c.subject;
        EXPECT_EQ(base.reply, c.reply) << c.subject;
    }
}

TEST(BaseSubject, DecodedFirst) {
    // "회신: 예산" as an RFC 2047 encoded-word, in UTF-8 and in EUC-KR.
    EXPECT_EQ(base_subject(decode_header_value("=?UTF-8?B?7ZqM7IugOiDsmIjsgrA=?=")).text, "예산");
    EXPECT_EQ(base_subject(decode_header_value("=?EUC-KR?B?yLi9xTogv7m76g==?=")).text, "예산");
}

TEST(CasemapFold, FoldsCaseAndWidth) {
    EXPECT_EQ(casemap_fold("ÀÉÎ ÕÜ ΣΩ ЖЁ"), "àéî õü σω жё");
    EXPECT_EQ(casemap_fold("ＡＢＣ１"), "abc1");
    EXPECT_EQ(casemap_fold("한글 ×"), "한글 ×");
    EXPECT_EQ(
        casemap_fold("\xff\xfe"
                     "AB"),
        "\xff\xfe"
        "ab"
    );  // not UTF-8: kept, ASCII folded
}

TEST(AddressSortKeys, MailboxAndDisplay) {
    EXPECT_EQ(mailbox_sort_key("Alice Kim <Alice@Example.org>, bob@example.org"), "alice");
    EXPECT_EQ(mailbox_sort_key("team: Carol <carol@example.org>;"), "carol");
    EXPECT_EQ(mailbox_sort_key(""), "");
    EXPECT_EQ(display_sort_key("\"홍길동\" <hong@example.kr>"), "홍길동");
    EXPECT_EQ(display_sort_key("Bob <bob@example.org>"), "bob");
    EXPECT_EQ(display_sort_key("Zed@Example.org"), "zed@example.org");
    EXPECT_EQ(display_sort_key("undisclosed-recipients:;"), "");
}

}  // namespace
}  // namespace govmail::mime
