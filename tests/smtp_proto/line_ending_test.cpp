#include "smtpd/proto/line_ending.hpp"

#include <gtest/gtest.h>

namespace govmail::smtp {
namespace {

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
