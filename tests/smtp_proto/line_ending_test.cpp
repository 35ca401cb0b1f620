#include "smtpd/proto/line_ending.hpp"

#include <gtest/gtest.h>

namespace govmail::smtp {
namespace {

TEST(FindLineEnd, FindsTheFirstCrOrLfFromPos) {
    constexpr auto npos = std::string_view::npos;
    EXPECT_EQ(find_line_end(""), npos);
    EXPECT_EQ(find_line_end("abc"), npos);
    EXPECT_EQ(find_line_end("ab\r\ncd"), 2u);
    EXPECT_EQ(find_line_end("ab\ncd\r"), 2u);
    EXPECT_EQ(find_line_end("ab\rcd\n"), 2u);
    EXPECT_EQ(find_line_end("ab\r\ncd\n", 3), 3u);
    EXPECT_EQ(find_line_end("ab\r\ncd\n", 4), 6u);
    EXPECT_EQ(find_line_end("ab\r\ncd\rx", 4), 6u);
    EXPECT_EQ(find_line_end("ab\n", 3), npos);
    EXPECT_EQ(find_line_end("ab\n", 7), npos);
}

TEST(NormalizeLineEnds, KeepsCrlfAndMakesBareCrAndLfCrlf) {
    EXPECT_EQ(normalize_line_ends(""), "");
    EXPECT_EQ(normalize_line_ends("no line end"), "no line end");
    EXPECT_EQ(normalize_line_ends("a\r\nb\r\n"), "a\r\nb\r\n");
    EXPECT_EQ(normalize_line_ends("a\nb\rc\r\n"), "a\r\nb\r\nc\r\n");
    EXPECT_EQ(normalize_line_ends("\n\r"), "\r\n\r\n");
    EXPECT_EQ(normalize_line_ends("\r\r\n\n"), "\r\n\r\n\r\n");
    EXPECT_EQ(normalize_line_ends("end\r"), "end\r\n");
}

TEST(NormalizeLineEnds, LeavesDotsAndOtherBytesAlone) {
    // Nothing is un-stuffed: a BDAT chunk has no dot-stuffing.
    const std::string text("..x\r\n.\r\n\0\xff", 10);
    EXPECT_EQ(normalize_line_ends(text), text);
}

}  // namespace
}  // namespace govmail::smtp
