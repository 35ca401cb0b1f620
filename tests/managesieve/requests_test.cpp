// The typed ManageSieve requests (RFC 5804 section 2): the client's bytes, read by the command
// reader a byte at a time and whole, become one struct per command; wrong arguments, unknown
// names, bad literals and oversize input get their errors.

#include "managesieve/proto/requests.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/managesieve/read_byte_by_byte.hpp"

namespace govmail::managesieve {
namespace {

// What a session makes of INPUT: the reader's error, or the request or its error. The input
// is read whole and a byte at a time, and both must agree.
using Outcome = std::variant<ReadError, Request, RequestError>;

// nullopt while the reader needs more.
std::optional<Outcome> outcome_of(ReadEvent&& event) {
    if (std::holds_alternative<NeedMore>(event)) {
        return std::nullopt;
    }
    if (auto* error = std::get_if<ReadError>(&event)) {
        return *error;
    }
    auto parsed = parse_request(std::get<Command>(std::move(event)));
    if (auto* error = std::get_if<RequestError>(&parsed)) {
        return *error;
    }
    return std::get<Request>(std::move(parsed));
}

Outcome read(std::string_view input, const ReaderLimits& limits = ReaderLimits{}) {
    std::string_view pending(input);
    const auto whole = outcome_of(read_command(pending, limits));
    const auto split = outcome_of(read_byte_by_byte(input, limits));
    EXPECT_TRUE(whole.has_value()) << input;
    EXPECT_TRUE(split.has_value()) << input;
    if (!whole || !split) {
        return ReadError{"incomplete", true};
    }
    EXPECT_EQ(whole->index(), split->index()) << input;
    if (const auto* a = std::get_if<ReadError>(&*whole)) {
        const auto* b = std::get_if<ReadError>(&*split);
        EXPECT_TRUE(b != nullptr && a->text == b->text && a->fatal == b->fatal) << input;
    } else if (const auto* request = std::get_if<Request>(&*whole)) {
        const auto* b = std::get_if<Request>(&*split);
        EXPECT_TRUE(b != nullptr && *request == *b) << input;
    } else {
        const auto* b = std::get_if<RequestError>(&*split);
        EXPECT_TRUE(b != nullptr && std::get<RequestError>(*whole) == *b) << input;
    }
    return *whole;
}

struct Case {
    std::string input;
    Request expected;
};

TEST(Requests, ParsesEachCommand) {
    const Case cases[] = {
        {"CAPABILITY\r\n", Capability{}},
        {"NOOP\r\n", Noop{}},
        {"NOOP \"STARTTLS-SYNC-42\"\r\n", Noop{"STARTTLS-SYNC-42"}},
        {"LOGOUT\r\n", Logout{}},
        {"STARTTLS\r\n", StartTls{}},
        {"AUTHENTICATE \"PLAIN\"\r\n", Authenticate{"PLAIN", std::nullopt}},
        // RFC 5804 2.1 example: the initial response in a literal; the mechanism upper-cased.
        {"Authenticate \"plain\" {20+}\r\nAGpvZQBqb2VzLXBhc3M=\r\n",
         Authenticate{"PLAIN", "AGpvZQBqb2VzLXBhc3M="}},
        {"HAVESPACE \"myscript\" 999999\r\n", HaveSpace{"myscript", 999999}},
        {"HAVESPACE \"away\" \"12\"\r\n", HaveSpace{"away", 12}},
        {"PUTSCRIPT \"away\" {12+}\r\nkeep;\r\nstop;\r\n", PutScript{"away", "keep;\r\nstop;"}},
        {"CHECKSCRIPT {5}\r\nkeep;\r\n", CheckScript{"keep;"}},
        {"LISTSCRIPTS\r\n", ListScripts{}},
        {"GETSCRIPT \"부재중\"\r\n", GetScript{"부재중"}},
        {"SETACTIVE \"away\"\r\n", SetActive{"away"}},
        {"SETACTIVE \"\"\r\n", SetActive{""}},
        {"DELETESCRIPT \"old\"\r\n", DeleteScript{"old"}},
        {"RENAMESCRIPT \"old\" \"new\"\r\n", RenameScript{"old", "new"}},
    };
    for (const auto& c : cases) {
        const auto outcome = read(c.input);
        const auto* request = std::get_if<Request>(&outcome);
        ASSERT_NE(request, nullptr) << c.input;
        EXPECT_TRUE(*request == c.expected) << c.input;
    }
}

TEST(Requests, EveryCommandHasItsOwnRequest) {
    const char* names[] = {
        "CAPABILITY", "NOOP",         "LOGOUT",       "STARTTLS",    "AUTHENTICATE",
        "HAVESPACE",  "PUTSCRIPT",    "CHECKSCRIPT",  "LISTSCRIPTS", "GETSCRIPT",
        "SETACTIVE",  "DELETESCRIPT", "RENAMESCRIPT",
    };
    ASSERT_EQ(std::size(names), std::variant_size_v<Request>);
    for (std::size_t i = 0; i < std::size(names); ++i) {
        EXPECT_EQ(request_index(names[i]), i) << names[i];
    }
    EXPECT_EQ(request_index("UNAUTHENTICATE"), std::nullopt);
    EXPECT_EQ(request_index("noop"), std::nullopt);  // the reader upper-cases names
}

TEST(Requests, RefusesWrongArguments) {
    const std::pair<std::string, std::string> cases[] = {
        {"PUTSCRIPT \"away\"\r\n", "PUTSCRIPT takes 2 argument(s)"},
        {"HAVESPACE \"away\"\r\n", "HAVESPACE takes 2 argument(s)"},
        {"CHECKSCRIPT\r\n", "CHECKSCRIPT takes 1 argument(s)"},
        {"LISTSCRIPTS \"x\"\r\n", "LISTSCRIPTS takes 0 argument(s)"},
        {"GETSCRIPT \"a\" \"b\"\r\n", "GETSCRIPT takes 1 argument(s)"},
        {"SETACTIVE\r\n", "SETACTIVE takes 1 argument(s)"},
        {"DELETESCRIPT\r\n", "DELETESCRIPT takes 1 argument(s)"},
        {"RENAMESCRIPT \"old\"\r\n", "RENAMESCRIPT takes 2 argument(s)"},
        {"AUTHENTICATE\r\n", "AUTHENTICATE needs a mechanism name"},
        {"AUTHENTICATE \"PLAIN\" \"a\" \"b\"\r\n", "AUTHENTICATE needs a mechanism name"},
        {"HAVESPACE \"away\" \"lots\"\r\n", "HAVESPACE needs a script name and a size"},
        {"HAVESPACE \"away\" \"-1\"\r\n", "HAVESPACE needs a script name and a size"},
        {"HAVESPACE \"away\" \"99999999999999999999999\"\r\n",
         "HAVESPACE needs a script name and a size"},
    };
    for (const auto& [input, text] : cases) {
        const auto outcome = read(input);
        const auto* error = std::get_if<RequestError>(&outcome);
        ASSERT_NE(error, nullptr) << input;
        EXPECT_EQ(error->kind, RequestError::Kind::Arguments) << input;
        EXPECT_EQ(error->text, text) << input;
    }
}

TEST(Requests, UnknownCommandsAreNamed) {
    const auto outcome = read("UNAUTHENTICATE\r\n");
    const auto* error = std::get_if<RequestError>(&outcome);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(error->kind, RequestError::Kind::Unknown);
    EXPECT_EQ(error->text, "Unknown command UNAUTHENTICATE");
}

TEST(Requests, BadLiteralIsASyntaxError) {
    for (const std::string input :
         {"PUTSCRIPT \"a\" {x}\r\n", "PUTSCRIPT \"a\" {}\r\n",
          "PUTSCRIPT \"a\" {3+} \r\nabc\r\n"}) {
        const auto outcome = read(input);
        const auto* error = std::get_if<ReadError>(&outcome);
        ASSERT_NE(error, nullptr) << input;
        EXPECT_EQ(error->text, "Bad literal") << input;
        EXPECT_FALSE(error->fatal) << input;
    }
}

TEST(Requests, OversizeInputEndsTheSession) {
    ReaderLimits limits;
    limits.max_line = 100;
    limits.max_literal = 50;
    const std::pair<std::string, std::string> cases[] = {
        {"PUTSCRIPT \"a\" {51+}\r\n" + std::string(51, 'x') + "\r\n", "Literal too large"},
        {"CHECKSCRIPT {99999999999+}\r\n", "Literal too large"},
        {"GETSCRIPT " + std::string(120, 'a') + "\r\n", "Line too long"},
    };
    for (const auto& [input, text] : cases) {
        const auto outcome = read(input, limits);
        const auto* error = std::get_if<ReadError>(&outcome);
        ASSERT_NE(error, nullptr) << input;
        EXPECT_EQ(error->text, text) << input;
        EXPECT_TRUE(error->fatal) << input;
    }
    // The largest script the limit allows is a request.
    const auto outcome = read("CHECKSCRIPT {50+}\r\n" + std::string(50, 'x') + "\r\n", limits);
    EXPECT_TRUE(std::holds_alternative<Request>(outcome));
}

}  // namespace
}  // namespace govmail::managesieve
