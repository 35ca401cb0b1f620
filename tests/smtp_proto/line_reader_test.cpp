#include "smtpd/proto/line_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {
namespace {

// Reads everything in `input`, `chunk` bytes per call, and describes each outcome:
// "L:<line>" or "E:<code> <enhanced>".
std::vector<std::string> read_lines(LineReader& reader, std::string_view input, std::size_t chunk) {
    std::vector<std::string> outcomes;
    while (!input.empty()) {
        std::string_view piece = input.substr(0, chunk);
        input.remove_prefix(piece.size());
        while (!piece.empty()) {
            const LineResult result = reader.read(piece);
            if (const auto* line = std::get_if<Line>(&result)) {
                outcomes.push_back("L:" + std::string(line->text));
            } else if (const auto* error = std::get_if<Error>(&result)) {
                outcomes.push_back(
                    "E:" + std::to_string(error->code) + " " + std::string(error->enhanced)
                );
            }
        }
    }
    return outcomes;
}

struct LineCase {
    std::string name;
    std::string input;
    BareLineEnd bare_lf;
    std::vector<std::string> expected;
};

const std::string kMaxContent(kMaxCommandLine - 2, 'x');

const std::vector<LineCase> kLineCases = {
    {"crlf", "EHLO a\r\n", BareLineEnd::Normalize, {"L:EHLO a"}},
    {"pipelined",
     "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n",
     BareLineEnd::Normalize,
     {"L:MAIL FROM:<a@b>", "L:RCPT TO:<c@d>", "L:DATA"}},
    {"empty line", "\r\n", BareLineEnd::Normalize, {"L:"}},
    {"incomplete line waits", "NOOP", BareLineEnd::Normalize, {}},
    {"bare lf accepted", "NOOP\nQUIT\r\n", BareLineEnd::Normalize, {"L:NOOP", "L:QUIT"}},
    {"bare lf rejected", "NOOP\nQUIT\r\n", BareLineEnd::Reject, {"E:500 5.5.2", "L:QUIT"}},
    {"cr without lf kept for the parser", "NO\rOP\r\n", BareLineEnd::Normalize, {"L:NO\rOP"}},
    {"cr cr lf keeps one cr", "NOOP\r\r\n", BareLineEnd::Normalize, {"L:NOOP\r"}},
    {"nul kept for the parser",
     std::string("NO\0OP\r\n", 7),
     BareLineEnd::Normalize,
     {std::string("L:NO\0OP", 7)}},
    {"512 octets with crlf", kMaxContent + "\r\n", BareLineEnd::Normalize, {"L:" + kMaxContent}},
    {"513 octets with crlf", kMaxContent + "y\r\n", BareLineEnd::Normalize, {"E:500 5.5.2"}},
    {"512 octets with bare lf",
     kMaxContent + "y\n",
     BareLineEnd::Normalize,
     {"L:" + kMaxContent + "y"}},
    {"too long then next line",
     std::string(5000, 'x') + "\r\nQUIT\r\n",
     BareLineEnd::Normalize,
     {"E:500 5.5.2", "L:QUIT"}},
    {"too long ended by bare lf",
     std::string(5000, 'x') + "\nQUIT\r\n",
     BareLineEnd::Normalize,
     {"E:500 5.5.2", "L:QUIT"}},
};

class LineReaderTable : public testing::TestWithParam<LineCase> {};

TEST_P(LineReaderTable, WholeInput) {
    LineReader reader(kMaxCommandLine, GetParam().bare_lf);
    EXPECT_EQ(read_lines(reader, GetParam().input, GetParam().input.size()), GetParam().expected);
}

TEST_P(LineReaderTable, OneByteAtATime) {
    LineReader reader(kMaxCommandLine, GetParam().bare_lf);
    EXPECT_EQ(read_lines(reader, GetParam().input, 1), GetParam().expected);
}

TEST_P(LineReaderTable, SevenBytesAtATime) {
    LineReader reader(kMaxCommandLine, GetParam().bare_lf);
    EXPECT_EQ(read_lines(reader, GetParam().input, 7), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, LineReaderTable, testing::ValuesIn(kLineCases), case_name<LineCase>);

TEST(LineReader, LeavesPipelinedBytesInInput) {
    LineReader reader;
    std::string_view input = "NOOP\r\nQUIT\r\n";
    const LineResult result = reader.read(input);
    ASSERT_TRUE(std::holds_alternative<Line>(result));
    EXPECT_EQ(std::get<Line>(result).text, "NOOP");
    EXPECT_EQ(input, "QUIT\r\n");
}

TEST(LineReader, EndlessLineKeepsDiscardingUntilLineEnd) {
    LineReader reader;
    const std::string junk(64 * 1024, 'x');
    for (int i = 0; i < 100; ++i) {
        std::string_view input = junk;
        EXPECT_TRUE(std::holds_alternative<NeedMore>(reader.read(input)));
        EXPECT_TRUE(input.empty());
    }
    EXPECT_TRUE(reader.has_partial_line());
    EXPECT_EQ(
        read_lines(reader, "\r\nQUIT\r\n", 64), (std::vector<std::string>{"E:500 5.5.2", "L:QUIT"})
    );
}

TEST(LineReader, PartialLineIsReportedAndReset) {
    LineReader reader;
    std::string_view input = "STARTTLS\r\nEHLO inj";
    ASSERT_TRUE(std::holds_alternative<Line>(reader.read(input)));
    EXPECT_FALSE(reader.has_partial_line());
    ASSERT_TRUE(std::holds_alternative<NeedMore>(reader.read(input)));
    EXPECT_TRUE(reader.has_partial_line());
    reader.reset();
    EXPECT_FALSE(reader.has_partial_line());
    EXPECT_EQ(read_lines(reader, "EHLO tls\r\n", 64), std::vector<std::string>{"L:EHLO tls"});
}

TEST(LineReader, AuthLimitAllowsLongInitialResponse) {
    LineReader reader(kMaxAuthLine);
    const std::string line = "AUTH XOAUTH2 " + std::string(kMaxAuthLine - 15, 'Q');
    EXPECT_EQ(read_lines(reader, line + "\r\n", 1000), std::vector<std::string>{"L:" + line});
}

}  // namespace
}  // namespace govmail::smtp
