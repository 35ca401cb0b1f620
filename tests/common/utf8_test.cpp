#include "common/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace govmail {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("ascii"));
    EXPECT_TRUE(is_valid_utf8("\xC2\x80"));                  // U+0080
    EXPECT_TRUE(is_valid_utf8("\xED\x95\x9C\xEA\xB8\x80"));  // 한글
    EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));              // U+FFFF
    EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));          // U+10000
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));          // U+10FFFF
}

TEST(Utf8, RejectsMalformedText) {
    EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong "/"
    EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
    EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    EXPECT_FALSE(is_valid_utf8("\xFF"));
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));      // truncated
    EXPECT_FALSE(is_valid_utf8("a\xC3"));         // truncated at the end
    EXPECT_FALSE(is_valid_utf8("\xE2\x28\xA1"));  // bad continuation
}

TEST(Utf8, AsciiIsSevenBitOnly) {
    EXPECT_TRUE(is_ascii(""));
    EXPECT_TRUE(is_ascii("MAILER-DAEMON@example.go.kr\x7f"));
    EXPECT_FALSE(is_ascii("홍길동@example.go.kr"));
    EXPECT_FALSE(is_ascii("\x80"));
}

// ASCII is skipped eight bytes at a time: a sequence is checked wherever it starts,
// at every offset into and after a run of ASCII, and whatever follows it.
TEST(Utf8, ChecksSequencesAtEveryOffsetAfterAscii) {
    for (std::size_t offset = 0; offset < 20; ++offset) {
        const std::string ascii(offset, 'a');
        SCOPED_TRACE(offset);
        EXPECT_TRUE(is_valid_utf8(ascii + "\xED\x95\x9C" + ascii));
        EXPECT_FALSE(is_valid_utf8(ascii + "\x80" + ascii));
        EXPECT_FALSE(is_valid_utf8(ascii + "\xC0\xAF" + ascii));
        EXPECT_FALSE(is_valid_utf8(ascii + "\xE2\x82"));
        EXPECT_TRUE(is_ascii(ascii + ascii));
        EXPECT_FALSE(is_ascii(ascii + "\xFF" + ascii));
    }
}

}  // namespace
}  // namespace govmail
