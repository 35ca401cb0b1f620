// Reading a new password (what is accepted: tests/selfservice).

#include "admin-cli/password_input.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace govmail::admin {
namespace {

TEST(ReadPasswordLine, TakesTheFirstLineWithoutItsEnding) {
    std::istringstream crlf("pass word\r\nsecond\n");
    EXPECT_EQ(read_password_line(crlf), "pass word");
    std::istringstream no_newline("last");
    EXPECT_EQ(read_password_line(no_newline), "last");
    std::istringstream empty("");
    EXPECT_EQ(read_password_line(empty), std::nullopt);
}

}  // namespace
}  // namespace govmail::admin
