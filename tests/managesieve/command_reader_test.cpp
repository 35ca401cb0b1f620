// The ManageSieve command reader (RFC 5804 section 4): strings, literals, numbers, partial
// input and the limits that hold hostile clients off.

#include "managesieve/proto/command_reader.hpp"

#include <gtest/gtest.h>

#include "managesieve/proto/response.hpp"
#include "tests/managesieve/read_byte_by_byte.hpp"

namespace govmail::managesieve {
namespace {

struct Case {
    const char* name;
    std::string input;
    std::string command;  // expected name; empty when not a command
    std::vector<std::string> args;
    std::size_t rest = 0;  // bytes left in the input afterwards
};

TEST(CommandReader, ReadsCommands) {
    const std::vector<Case> cases = {
        {"bare", "CAPABILITY\r\n", "CAPABILITY", {}},
        {"lower case", "logout\r\n", "LOGOUT", {}},
        {"bare LF", "NOOP\n", "NOOP", {}},
        {"quoted", "GETSCRIPT \"away\"\r\n", "GETSCRIPT", {"away"}},
        {"escapes", "GETSCRIPT \"a\\\"b\\\\c\"\r\n", "GETSCRIPT", {"a\"b\\c"}},
        {"empty string", "SETACTIVE \"\"\r\n", "SETACTIVE", {""}},
        {"number", "HAVESPACE \"x\" 1234\r\n", "HAVESPACE", {"x", "1234"}},
        {"literal plus", "PUTSCRIPT \"a\" {5+}\r\nab\r\nc\r\n", "PUTSCRIPT", {"a", "ab\r\nc"}},
        {"literal", "PUTSCRIPT {1}\r\na {0}\r\n\r\n", "PUTSCRIPT", {"a", ""}},
        {"pipelined", "NOOP\r\nLOGOUT\r\n", "NOOP", {}, 8},
        {"utf-8", "GETSCRIPT \"부재중\"\r\n", "GETSCRIPT", {"부재중"}},
    };
    for (const auto& c : cases) {
        std::string_view input(c.input);
        auto event = read_command(input, ReaderLimits{});
        auto* command = std::get_if<Command>(&event);
        ASSERT_NE(command, nullptr) << c.name;
        EXPECT_EQ(command->name, c.command) << c.name;
        EXPECT_EQ(command->args, c.args) << c.name;
        EXPECT_EQ(input.size(), c.rest) << c.name;
    }
}

TEST(CommandReader, WaitsForTheRestOfACommand) {
    for (const std::string input :
         {"NOOP", "NOOP\r", "GETSCRIPT \"aw", "PUTSCRIPT \"a\" {10+}\r\nabc", "PUTSCRIPT {3",
          "GETSCRIPT \"a\\"}) {
        std::string_view pending(input);
        EXPECT_TRUE(std::holds_alternative<NeedMore>(read_command(pending, ReaderLimits{})))
            << input;
        EXPECT_EQ(pending.size(), input.size()) << input;
    }
}

TEST(CommandReader, RefusesBadSyntaxAndSkipsTheLine) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"\"NOOP\"\r\nNOOP\r\n", "Command name expected"},
        {"GETSCRIPT away\r\nNOOP\r\n", "String expected"},
        {"GETSCRIPT \"a\\x\"\r\nNOOP\r\n", "Only \\\\ and \\\" may be escaped"},
        {"NOOP\"a\"\r\nNOOP\r\n", "Space expected between arguments"},
        {"PUTSCRIPT {x}\r\nNOOP\r\n", "Bad literal"},
        {"HAVESPACE \"a\" 123456789012\r\nNOOP\r\n", "Number too large"},
        {"A \"1\" \"2\" \"3\" \"4\" \"5\"\r\nNOOP\r\n", "Too many arguments"},
        {"GETSCRIPT \"" + std::string(2000, 'a') + "\"\r\nNOOP\r\n",
         "Quoted string too long; send a literal"},
    };
    for (const auto& [input, text] : cases) {
        std::string_view pending(input);
        auto event = read_command(pending, ReaderLimits{});
        auto* error = std::get_if<ReadError>(&event);
        ASSERT_NE(error, nullptr) << input;
        EXPECT_EQ(error->text, text) << input;
        EXPECT_FALSE(error->fatal) << input;
        EXPECT_EQ(pending, "NOOP\r\n") << input;
    }
}

TEST(CommandReader, HostileSizesAreFatalBeforeAnythingIsKept) {
    ReaderLimits limits;
    limits.max_line = 100;
    limits.max_literal = 50;
    const std::vector<std::string> cases = {
        "PUTSCRIPT \"a\" {51+}\r\n",
        "PUTSCRIPT \"a\" {99999999999999999999+}\r\n",
        std::string(101, 'N'),
        "NOOP \"" + std::string(200, 'a'),
    };
    for (const auto& input : cases) {
        std::string_view pending(input);
        auto event = read_command(pending, limits);
        auto* error = std::get_if<ReadError>(&event);
        ASSERT_NE(error, nullptr) << input;
        EXPECT_TRUE(error->fatal) << input;
    }
    // A literal within its limit does not count against the line.
    const std::string big = "PUTSCRIPT \"a\" {50+}\r\n" + std::string(50, 'x') + "\r\n";
    std::string_view pending(big);
    EXPECT_TRUE(std::holds_alternative<Command>(read_command(pending, limits)));
}

TEST(CommandReader, LineLimitIsTheSameWhateverTheReads) {
    ReaderLimits limits;
    limits.max_line = 100;
    // A line whose error shows only past the limit is too long, even when it arrives
    // complete: the same line in small reads is too long before its end or its error can be
    // seen. (Complete, the first used to be a skippable syntax error, the second "Literal too
    // large".)
    for (const std::string& bad : {
             "NOOP x" + std::string(200, 'a') + "\r\n",
             std::string(95, 'N') + " {99999999999}\r\n",
         }) {
        std::string_view whole(bad);
        for (const auto& event : {read_byte_by_byte(bad, limits), read_command(whole, limits)}) {
            auto* error = std::get_if<ReadError>(&event);
            ASSERT_NE(error, nullptr) << bad;
            EXPECT_EQ(error->text, "Line too long") << bad;
            EXPECT_TRUE(error->fatal) << bad;
        }
    }
    // A line of exactly max_line bytes before its CRLF is a command either way (a byte at a
    // time, its CR used to count against the line).
    const std::string full = "NOOP \"" + std::string(93, 'a') + "\"\r\n";
    ASSERT_EQ(full.size(), limits.max_line + 2);
    EXPECT_TRUE(std::holds_alternative<Command>(read_byte_by_byte(full, limits)));
    std::string_view pending(full);
    EXPECT_TRUE(std::holds_alternative<Command>(read_command(pending, limits)));
    EXPECT_TRUE(pending.empty());
}

TEST(CommandReader, ReadsASaslAnswer) {
    for (const std::string input : {"\"AGEAYg==\"\r\n", "{8+}\r\nAGEAYg==\r\n"}) {
        std::string_view pending(input);
        auto event = read_arguments(pending, ReaderLimits{});
        auto* answer = std::get_if<Command>(&event);
        ASSERT_NE(answer, nullptr) << input;
        EXPECT_EQ(answer->name, "");
        EXPECT_EQ(answer->args, std::vector<std::string>{"AGEAYg=="});
    }
    std::string_view bad("AUTH \"x\"\r\n");
    EXPECT_TRUE(std::holds_alternative<ReadError>(read_arguments(bad, ReaderLimits{})));
}

TEST(SieveResponse, QuotesOrSendsALiteral) {
    EXPECT_EQ(ok(), "OK\r\n");
    EXPECT_EQ(no("Nope", "NONEXISTENT"), "NO (NONEXISTENT) \"Nope\"\r\n");
    EXPECT_EQ(sieve_string("a\"b"), "{3}\r\na\"b");
    EXPECT_EQ(sieve_string("line\r\n"), "{6}\r\nline\r\n");
    EXPECT_EQ(bye("Line too long"), "BYE \"Line too long\"\r\n");
}

}  // namespace
}  // namespace govmail::managesieve
