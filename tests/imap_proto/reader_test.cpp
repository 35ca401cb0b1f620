// The command reader: framing of lines and literals, continuation requests and every limit.

#include "imapd/proto/reader.hpp"

#include <gtest/gtest.h>

#include "tests/imap_proto/parse_helpers.hpp"

namespace govmail::imap {
namespace {

using namespace std::literals;
using test::feed;

const std::vector<std::size_t> kChunkSizes = {1, 2, 3, 7, 64, 100000};

Error fatal_error(ErrorKind kind, std::string text, std::optional<std::string> tag) {
    return {kind, std::move(text), true, std::move(tag)};
}

Error too_big(std::string tag) { return {ErrorKind::TooBig, "Literal too big", false, tag}; }

TEST(Reader, SplitsPipelinedCommands) {
    for (const std::size_t chunk : kChunkSizes) {
        const auto events = feed("a NOOP\r\nb LOGOUT\r\n", chunk);
        EXPECT_EQ(events, (std::vector<ReaderEvent>{Command{"a", Noop{}}, Command{"b", Logout{}}}))
            << chunk;
    }
}

TEST(Reader, AsksForContinuationOnlyForSynchronisingLiterals) {
    for (const std::size_t chunk : kChunkSizes) {
        EXPECT_EQ(
            feed("a LOGIN {5}\r\nsmith {6}\r\nsesame\r\n", chunk),
            (std::vector<ReaderEvent>{
                NeedContinuation{}, NeedContinuation{}, Command{"a", Login{"smith", "sesame"}}})
        ) << chunk;
        EXPECT_EQ(
            feed("a LOGIN {5+}\r\nsmith {6+}\r\nsesame\r\n", chunk),
            (std::vector<ReaderEvent>{Command{"a", Login{"smith", "sesame"}}})
        ) << chunk;
    }
}

TEST(Reader, ReadsLiteralDataWithoutLookingInside) {
    EXPECT_EQ(
        feed("a LOGIN {7+}\r\n\"{1}\r\n\" x\r\n", 1),
        (std::vector<ReaderEvent>{Command{"a", Login{"\"{1}\r\n\"", "x"}}})
    );
}

TEST(Reader, AcceptsEmptyLiteral) {
    EXPECT_EQ(
        feed("a LOGIN {0}\r\n {0+}\r\n\r\n", 1),
        (std::vector<ReaderEvent>{NeedContinuation{}, Command{"a", Login{"", ""}}})
    );
}

TEST(Reader, PassesLiteral8WithNul) {
    const auto events = feed("a APPEND INBOX ~{3}\r\na\0b\r\n"sv, 1);
    ASSERT_EQ(events.size(), 2U);
    const auto& append = std::get<Append>(std::get<Command>(events[1]).request);
    EXPECT_EQ(append.messages.at(0).message, "a\0b"sv);
    EXPECT_TRUE(append.messages.at(0).binary);
}

TEST(Reader, IgnoresBracesInsideQuotedStrings) {
    EXPECT_EQ(
        feed("a LOGIN x \"{5}\"\r\n", 1),
        (std::vector<ReaderEvent>{Command{"a", Login{"x", "{5}"}}})
    );
    EXPECT_EQ(
        feed("a LOGIN x \"\\\" {5}\r\nb NOOP\r\n", 1),
        (std::vector<ReaderEvent>{
            Error{ErrorKind::Syntax, "Unterminated quoted string", false, "a"},
            Command{"b", Noop{}}})
    );
}

TEST(Reader, RefusesHugeSynchronisingLiteralAtOnceAndStaysInSync) {
    CommandReader reader({});
    std::string_view input = "a APPEND INBOX {4294967296}\r\nb NOOP\r\n";
    EXPECT_EQ(reader.next_command(input), ReaderEvent(too_big("a")));
    EXPECT_EQ(input, "b NOOP\r\n");
    EXPECT_EQ(reader.next_command(input), ReaderEvent(Command{"b", Noop{}}));
}

TEST(Reader, RefusesLiteralWithMoreDigitsThanFitIn64Bits) {
    EXPECT_EQ(
        feed("a LOGIN {99999999999999999999999999}\r\n", 1),
        (std::vector<ReaderEvent>{too_big("a")})
    );
}

TEST(Reader, DisconnectsOnRefusedNonSynchronisingLiteral) {
    CommandReader reader({});
    std::string_view input = "a APPEND INBOX {4294967296+}\r\nxxxx";
    const Error expected = fatal_error(ErrorKind::TooBig, "Literal too big", "a");
    EXPECT_EQ(reader.next_command(input), ReaderEvent(expected));
    EXPECT_EQ(input, "xxxx");
    EXPECT_EQ(reader.next_command(input), ReaderEvent(expected));
    EXPECT_EQ(input, "xxxx");
}

TEST(Reader, GivesAppendItsOwnLiteralLimit) {
    const ReaderLimits limits{
        .max_literal_size = 16, .max_command_size = 1024, .max_append_size = 4096, .max_depth = 8};
    EXPECT_EQ(feed("a LOGIN {17}\r\n", 1, limits), (std::vector<ReaderEvent>{too_big("a")}));
    EXPECT_EQ(
        feed("a APPEND INBOX {1000}\r\n", 1, limits), (std::vector<ReaderEvent>{NeedContinuation{}})
    );
    EXPECT_EQ(
        feed("a APPEND INBOX {4096}\r\n", 1, limits), (std::vector<ReaderEvent>{too_big("a")})
    );
}

TEST(Reader, BoundsTheWholeCommand) {
    const ReaderLimits limits{
        .max_line_length = 100, .max_literal_size = 60, .max_command_size = 100, .max_depth = 8};
    EXPECT_EQ(
        feed("a LOGIN {50+}\r\n" + std::string(50, 'x') + " {50}\r\n", 1, limits),
        (std::vector<ReaderEvent>{too_big("a")})
    );
    EXPECT_EQ(
        feed("a LOGIN {60+}\r\n" + std::string(60, 'x') + std::string(40, ' '), 1, limits),
        (std::vector<ReaderEvent>{fatal_error(ErrorKind::TooLong, "Command too long", "a")})
    );
}

// An over-long line is answered BAD when it ends, and the next command is read as usual; its
// bytes past the limit are not kept.
TEST(Reader, AnswersAnOversizeLineAndGoesOn) {
    const ReaderLimits limits{.max_line_length = 8192, .max_depth = 8};
    CommandReader reader(limits);
    const std::string line = "a LOGIN " + std::string(8184, 'x');  // 8192 bytes, no CRLF yet
    std::string_view input = line;
    EXPECT_EQ(reader.next_command(input), ReaderEvent(NeedMore{}));
    const std::string more(100000, 'y');
    input = more;
    EXPECT_EQ(reader.next_command(input), ReaderEvent(NeedMore{}));
    input = "\r\nb NOOP\r\n";
    EXPECT_EQ(
        reader.next_command(input),
        ReaderEvent(Error{ErrorKind::TooLong, "Line too long", false, "a"})
    );
    EXPECT_EQ(reader.next_command(input), ReaderEvent(Command{"b", Noop{}}));
}

// A "{n+}" literal at the end of an over-long line is on its way already: fatal. A "{n}" one
// is not sent before our "+", and a "{n+}" inside a quoted string is no literal.
TEST(Reader, DisconnectsOnANonSynchronisingLiteralEndingAnOversizeLine) {
    const ReaderLimits limits{.max_line_length = 32, .max_depth = 8};
    const std::string padding(40, 'x');
    for (const std::size_t chunk : kChunkSizes) {
        EXPECT_EQ(
            feed("a LOGIN " + padding + " {5+}\r\nhello\r\n", chunk, limits),
            (std::vector<ReaderEvent>{fatal_error(ErrorKind::TooLong, "Line too long", "a")})
        ) << chunk;
        EXPECT_EQ(
            feed("a LOGIN " + padding + " {5}\r\nb NOOP\r\n", chunk, limits),
            (std::vector<ReaderEvent>{
                Error{ErrorKind::TooLong, "Line too long", false, "a"}, Command{"b", Noop{}}})
        ) << chunk;
        EXPECT_EQ(
            feed("a LOGIN \"" + padding + " {5+}\"\r\nb NOOP\r\n", chunk, limits),
            (std::vector<ReaderEvent>{
                Error{ErrorKind::TooLong, "Line too long", false, "a"}, Command{"b", Noop{}}})
        ) << chunk;
    }
}

// Found by imap_command_fuzz: a line over the limit arriving in one read was refused before
// its tag was read, so the error had no tag, unlike the same line arriving in small reads.
TEST(Reader, NamesTheTagOfAnOversizeLineWhateverTheReads) {
    const ReaderLimits limits{.max_line_length = 32, .max_command_size = 48, .max_depth = 8};
    const std::string long_line = "a7 SEARCH " + std::string(40, 'x') + "\r\n";
    const std::string long_command =
        "b8 LOGIN {20+}\r\n" + std::string(20, 'u') + " pw" + std::string(20, 'p');
    for (const std::size_t chunk : kChunkSizes) {
        EXPECT_EQ(
            feed(long_line, chunk, limits),
            (std::vector<ReaderEvent>{Error{ErrorKind::TooLong, "Line too long", false, "a7"}})
        ) << chunk;
        EXPECT_EQ(
            feed(long_command, chunk, limits),
            (std::vector<ReaderEvent>{fatal_error(ErrorKind::TooLong, "Command too long", "b8")})
        ) << chunk;
    }
}

TEST(Reader, CountsLineLengthPerLineNotAcrossLiterals) {
    const ReaderLimits limits{.max_line_length = 20, .max_depth = 8};
    const std::string input = "a LOGIN {15+}\r\n" + std::string(15, 'u') + " {3+}\r\npwd\r\n";
    EXPECT_EQ(
        feed(input, 1, limits),
        (std::vector<ReaderEvent>{Command{"a", Login{std::string(15, 'u'), "pwd"}}})
    );
}

TEST(Reader, AppliesNewLimitsFromTheNextLine) {
    CommandReader reader({.max_line_length = 16});
    std::string_view input = "a LOGIN user pass\r\n";
    EXPECT_EQ(
        reader.next_command(input),
        ReaderEvent(Error{ErrorKind::TooLong, "Line too long", false, "a"})
    );
    reader.set_limits({.max_line_length = 64});
    input = "a LOGIN user pass\r\n";
    EXPECT_EQ(reader.next_command(input), ReaderEvent(Command{"a", Login{"user", "pass"}}));
}

TEST(Reader, ReportsCrWithoutLfAndCarriesOn) {
    EXPECT_EQ(
        feed("a NOOP\rb NOOP\r\nc NOOP\r\n", 1),
        (std::vector<ReaderEvent>{
            Error{ErrorKind::Syntax, "CR not followed by LF", false, "a"}, Command{"c", Noop{}}})
    );
}

TEST(Reader, RefusesNestingBeyondTheLimit) {
    const std::string at_limit = "a SEARCH " + std::string(8, '(') + "ALL" + std::string(8, ')');
    const std::string beyond = "a SEARCH " + std::string(9, '(') + "ALL" + std::string(9, ')');
    EXPECT_TRUE(std::holds_alternative<Command>(feed(at_limit + "\r\n", 1).at(0)));
    EXPECT_EQ(
        feed(beyond + "\r\n", 1),
        (std::vector<ReaderEvent>{Error{ErrorKind::TooDeep, "Too deeply nested", false, "a"}})
    );
}

TEST(Reader, SurvivesDeepNestingBomb) {
    const ReaderLimits limits{.max_line_length = 1 << 20, .max_depth = 32};
    std::string bomb = "a SEARCH ";
    for (int i = 0; i < 100000; ++i) {
        bomb += "NOT (";
    }
    bomb += "\r\n";
    EXPECT_EQ(
        feed(bomb, 4096, limits),
        (std::vector<ReaderEvent>{Error{ErrorKind::TooDeep, "Too deeply nested", false, "a"}})
    );
}

TEST(Reader, ReadsRawLinesForSaslAndIdle) {
    CommandReader reader({});
    std::string_view input = "dGVzdA==\r\nDO";
    EXPECT_EQ(reader.next_line(input), LineEvent(Line{"dGVzdA=="}));
    EXPECT_EQ(reader.next_line(input), LineEvent(NeedMore{}));
    input = "NE\r\na NOOP\r\n";
    const LineEvent done = reader.next_line(input);
    ASSERT_TRUE(std::holds_alternative<Line>(done));
    EXPECT_TRUE(is_idle_done(std::get<Line>(done).text));
    EXPECT_EQ(reader.next_command(input), ReaderEvent(Command{"a", Noop{}}));
}

TEST(Reader, ResetDropsPartialCommand) {
    CommandReader reader({});
    std::string_view input = "a LOGIN {5}\r\nsm";
    EXPECT_EQ(reader.next_command(input), ReaderEvent(NeedContinuation{}));
    EXPECT_EQ(reader.next_command(input), ReaderEvent(NeedMore{}));
    reader.reset();
    input = "b NOOP\r\n";
    EXPECT_EQ(reader.next_command(input), ReaderEvent(Command{"b", Noop{}}));
}

}  // namespace
}  // namespace govmail::imap
