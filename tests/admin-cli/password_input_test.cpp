// Reading a new password and what mailadm accepts as one.

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

TEST(PasswordProblem, AcceptsEightCharactersOfAnyScript) {
    EXPECT_EQ(password_problem("12345678"), std::nullopt);
    EXPECT_EQ(password_problem("비밀번호비밀번호"), std::nullopt);  // 8 code points
    EXPECT_NE(password_problem("1234567"), std::nullopt);
    EXPECT_NE(password_problem("비밀번호"), std::nullopt);  // 12 bytes, 4 characters
    EXPECT_NE(password_problem(std::string(1025, 'a')), std::nullopt);
    EXPECT_NE(password_problem("abcdefg\xff"), std::nullopt);
}

}  // namespace
}  // namespace govmail::admin
