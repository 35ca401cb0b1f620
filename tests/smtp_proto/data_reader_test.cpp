#include "smtpd/proto/data_reader.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {
namespace {

// What a DataReader made of one input.
struct Outcome {
    DataResult result;
    std::string output;
    std::string left_over;  // input after the terminator, for the command reader

    friend bool operator==(const Outcome&, const Outcome&) = default;
};

void PrintTo(const Outcome& outcome, std::ostream* os) {
    *os << "output " << testing::PrintToString(outcome.output) << ", left over "
        << testing::PrintToString(outcome.left_over) << ", result index " << outcome.result.index();
}

// Feeds `input` in pieces of the given sizes (the last piece takes the rest).
Outcome feed(std::string_view input, const std::vector<std::size_t>& pieces, DataOptions options) {
    DataReader reader(options);
    Outcome outcome{NeedMore{}, "", ""};
    std::size_t piece = 0;
    while (!input.empty()) {
        const std::size_t size = piece < pieces.size() ? pieces[piece++] : input.size();
        std::string_view chunk = input.substr(0, size);
        input.remove_prefix(chunk.size());
        outcome.result = reader.read(chunk, outcome.output);
        if (!std::holds_alternative<NeedMore>(outcome.result)) {
            outcome.left_over = std::string(chunk) + std::string(input);
            return outcome;
        }
        EXPECT_TRUE(chunk.empty()) << "NeedMore must consume the whole chunk";
    }
    return outcome;
}

Outcome feed_whole(std::string_view input, DataOptions options = {}) {
    return feed(input, {}, options);
}

// Checks that every way of cutting `input` gives the same outcome as feeding it whole:
// one byte at a time, every two-piece split, and random splits.
void expect_split_invariant(std::string_view input, DataOptions options = {}) {
    const Outcome whole = feed_whole(input, options);
    EXPECT_EQ(feed(input, std::vector<std::size_t>(input.size(), 1), options), whole)
        << "one byte at a time";
    for (std::size_t cut = 1; cut < input.size(); ++cut) {
        EXPECT_EQ(feed(input, {cut}, options), whole) << "split at " << cut;
    }
    std::mt19937 random(20240101);  // fixed seed: deterministic
    std::uniform_int_distribution<std::size_t> size(1, 5);
    for (int round = 0; round < 50; ++round) {
        std::vector<std::size_t> pieces(input.size());
        for (std::size_t& piece : pieces) {
            piece = size(random);
        }
        EXPECT_EQ(feed(input, pieces, options), whole) << "random round " << round;
    }
}

DataEnd end_of(std::size_t size, bool bare = false) { return DataEnd{size, bare}; }

struct DataCase {
    std::string name;
    std::string input;
    std::string output;     // stored message
    std::string left_over;  // bytes after the terminator
    bool bare = false;      // bare line ends were normalised
};

const std::vector<DataCase> kDataCases = {
    {"empty message", ".\r\n", "", ""},
    {"one empty line", "\r\n.\r\n", "\r\n", ""},
    {"simple", "Subject: hi\r\n\r\nbody\r\n.\r\n", "Subject: hi\r\n\r\nbody\r\n", ""},
    {"pipelined command kept", "a\r\n.\r\nQUIT\r\n", "a\r\n", "QUIT\r\n"},
    {"dot stuffing removed", "..\r\n...x\r\n.y\r\n.\r\n", ".\r\n..x\r\ny\r\n", ""},
    {"dot inside line", "a.b\r\n a\r\n .\r\n.\r\n", "a.b\r\n a\r\n .\r\n", ""},
    {"dot at end of line", "a.\r\n.\r\n", "a.\r\n", ""},
    {"no final crlf before terminator", "a\r\n.\r\n", "a\r\n", ""},
    {"stuffed terminator", "..\r\n.\r\n", ".\r\n", ""},
    {"nul bytes kept", std::string("a\0b\r\n\0\r\n.\r\n", 11), std::string("a\0b\r\n\0\r\n", 8),
     ""},
    {"eight bit kept", "\xED\x95\x9C\xEA\xB8\x80\r\n.\r\n", "\xED\x95\x9C\xEA\xB8\x80\r\n", ""},
    {"bare cr normalised", "a\rb\r\n.\r\n", "a\r\nb\r\n", "", true},
    {"bare lf normalised", "a\nb\r\n.\r\n", "a\r\nb\r\n", "", true},
    {"bare lf then dot stuffing", "a\n..b\r\n.\r\n", "a\r\n.b\r\n", "", true},
    {"cr cr lf", "a\r\r\n.\r\n", "a\r\n\r\n", "", true},
    {"terminator after bare cr line", "a\r\r\n.\r\nX", "a\r\n\r\n", "X", true},
};

class DataReaderTable : public testing::TestWithParam<DataCase> {};

TEST_P(DataReaderTable, Decodes) {
    const DataCase& c = GetParam();
    const Outcome outcome = feed_whole(c.input);
    EXPECT_EQ(outcome.output, c.output);
    EXPECT_EQ(outcome.left_over, c.left_over);
    EXPECT_EQ(outcome.result, DataResult(end_of(c.output.size(), c.bare)));
}

TEST_P(DataReaderTable, AnySplitGivesTheSameResult) { expect_split_invariant(GetParam().input); }

INSTANTIATE_TEST_SUITE_P(Rfc5321, DataReaderTable, testing::ValuesIn(kDataCases), case_name<DataCase>);

// SMTP smuggling (mox TestSmuggle, Postfix smtpd_forbid_bare_newline, CVE-2023-51764): a
// message carrying a non-standard end-of-data followed by a second, smuggled transaction.
struct SmuggleCase {
    std::string name;
    std::string fake_end;
    std::string stored_as;  // the fake end in the stored message (Normalize)
    bool bare = true;       // contains a bare CR or LF
};

const std::vector<SmuggleCase> kSmuggleCases = {
    {"lf dot lf", "\n.\n", "\r\n.\r\n"},
    {"crlf dot lf", "\r\n.\n", "\r\n.\r\n"},
    {"lf dot crlf", "\n.\r\n", "\r\n.\r\n"},
    {"cr dot crlf", "\r.\r\n", "\r\n.\r\n"},
    {"crlf dot cr", "\r\n.\r", "\r\n.\r\n"},
    {"cr dot cr", "\r.\r", "\r\n.\r\n"},
    {"lf dot cr", "\n.\r", "\r\n.\r\n"},
    {"crlf dot cr cr lf", "\r\n.\r\r\n", "\r\n.\r\n\r\n"},
    {"crlf dot space crlf", "\r\n. \r\n", "\r\n \r\n", false},
    {"crlf dot nul crlf", std::string("\r\n.\0\r\n", 6), std::string("\r\n\0\r\n", 5), false},
    {"lf lf dot lf", "\n\n.\n", "\r\n\r\n.\r\n"},
};

const std::string kSmuggled =
    "MAIL FROM:<admin@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nforged\r\n";

class SmugglingTable : public testing::TestWithParam<SmuggleCase> {};

TEST_P(SmugglingTable, FakeEndIsStoredAsText) {
    const std::string input =
        "Subject: x\r\n\r\nA" + GetParam().fake_end + kSmuggled + ".\r\nQUIT\r\n";
    const Outcome outcome = feed_whole(input);
    const std::string expected = "Subject: x\r\n\r\nA" + GetParam().stored_as +
                                 "MAIL FROM:<admin@example.com>\r\nRCPT TO:<victim@example.com>\r\n"
                                 "DATA\r\nforged\r\n";
    EXPECT_EQ(outcome.output, expected);
    EXPECT_EQ(outcome.left_over, "QUIT\r\n");
    ASSERT_TRUE(std::holds_alternative<DataEnd>(outcome.result));
    EXPECT_EQ(std::get<DataEnd>(outcome.result).size, expected.size());
    expect_split_invariant(input);
}

TEST_P(SmugglingTable, RejectPolicyRefusesBareLineEnds) {
    const DataOptions reject{.bare_line_end = BareLineEnd::Reject};
    const std::string input = "A" + GetParam().fake_end + kSmuggled + ".\r\nQUIT\r\n";
    const Outcome outcome = feed_whole(input, reject);
    EXPECT_EQ(outcome.left_over, "QUIT\r\n");
    if (GetParam().bare) {
        ASSERT_TRUE(std::holds_alternative<Error>(outcome.result));
        EXPECT_EQ(std::get<Error>(outcome.result).code, 550);
        EXPECT_EQ(std::get<Error>(outcome.result).enhanced, "5.5.2");
    } else {
        EXPECT_TRUE(std::holds_alternative<DataEnd>(outcome.result));
    }
    expect_split_invariant(input, reject);
}

INSTANTIATE_TEST_SUITE_P(Smuggling, SmugglingTable, testing::ValuesIn(kSmuggleCases), case_name<SmuggleCase>);

// Property check over random inputs made of the octets that matter: DATA ends exactly after the
// first "\r\n.\r\n" (counting the CRLF before DATA's first line), whatever the split, and
// the stored text never holds a bare CR or LF.
TEST(DataReader, RandomInputsEndOnlyAtTheStandardTerminator) {
    std::mt19937 random(5321);  // fixed seed: deterministic
    std::uniform_int_distribution<std::size_t> length(0, 24);
    std::uniform_int_distribution<std::size_t> pick(0, 3);
    constexpr std::string_view kOctets = "\r\n.a";
    for (int round = 0; round < 3000; ++round) {
        std::string input(length(random), 'a');
        for (char& c : input) {
            c = kOctets[pick(random)];
        }
        const Outcome outcome = feed(input, std::vector<std::size_t>(input.size(), 1), {});
        const std::size_t terminator = ("\r\n" + input).find("\r\n.\r\n");
        if (terminator == std::string::npos) {
            EXPECT_TRUE(std::holds_alternative<NeedMore>(outcome.result)) << input;
        } else {
            EXPECT_TRUE(std::holds_alternative<DataEnd>(outcome.result)) << input;
            EXPECT_EQ(outcome.left_over, input.substr(terminator + 3)) << input;
        }
        for (std::size_t i = 0; i < outcome.output.size(); ++i) {
            const char c = outcome.output[i];
            const bool bare_cr =
                c == '\r' && (i + 1 == outcome.output.size() || outcome.output[i + 1] != '\n');
            const bool bare_lf = c == '\n' && (i == 0 || outcome.output[i - 1] != '\r');
            EXPECT_FALSE(bare_cr || bare_lf) << testing::PrintToString(input);
        }
    }
}

TEST(DataReader, WaitsForTheTerminator) {
    DataReader reader;
    std::string output;
    for (std::string_view piece : {"a\r\n", ".", "\r"}) {
        std::string_view input = piece;
        EXPECT_TRUE(std::holds_alternative<NeedMore>(reader.read(input, output)));
    }
    std::string_view rest = "\nNOOP\r\n";
    EXPECT_EQ(reader.read(rest, output), DataResult(end_of(3)));
    EXPECT_EQ(rest, "NOOP\r\n");
    EXPECT_EQ(output, "a\r\n");
}

TEST(DataReader, ReadAfterEndConsumesNothing) {
    DataReader reader;
    std::string output;
    std::string_view input = ".\r\nQUIT\r\n";
    ASSERT_EQ(reader.read(input, output), DataResult(end_of(0)));
    EXPECT_EQ(reader.read(input, output), DataResult(end_of(0)));
    EXPECT_EQ(input, "QUIT\r\n");
}

TEST(DataReader, AppendsToCallerOutput) {
    DataReader reader;
    std::string output = "Received: by govmail\r\n";
    std::string_view input = "a\r\n.\r\n";
    EXPECT_EQ(reader.read(input, output), DataResult(end_of(3)));
    EXPECT_EQ(output, "Received: by govmail\r\na\r\n");
}

TEST(DataReader, AcceptsVeryLongLines) {
    const std::string line(100'000, 'x');
    const Outcome outcome = feed_whole(line + "\r\n.\r\n");
    EXPECT_EQ(outcome.output, line + "\r\n");
    EXPECT_EQ(outcome.result, DataResult(end_of(line.size() + 2)));
}

TEST(DataReader, MessageOfExactlyTheLimitIsAccepted) {
    const DataOptions options{.max_message_size = 10};
    const std::string input = "12345678\r\n.\r\n";  // 10 octets stored
    EXPECT_EQ(feed_whole(input, options).result, DataResult(end_of(10)));
    expect_split_invariant(input, options);
}

TEST(DataReader, OversizeMessageIsReadToTheEndAndRejected) {
    const DataOptions options{.max_message_size = 10};
    const std::string input = "123456789\r\n" + std::string(10'000, 'x') + "\r\n.\r\nQUIT\r\n";
    for (const std::vector<std::size_t>& pieces :
         {std::vector<std::size_t>{}, std::vector<std::size_t>(input.size(), 1)}) {
        const Outcome outcome = feed(input, pieces, options);
        ASSERT_TRUE(std::holds_alternative<Error>(outcome.result));
        EXPECT_EQ(std::get<Error>(outcome.result), kMessageTooBig);
        EXPECT_LE(outcome.output.size(), 10u);
        EXPECT_EQ(outcome.left_over, "QUIT\r\n");
    }
}

TEST(DataReader, OversizeMessageStopsGrowingOutput) {
    DataReader reader({.max_message_size = 1000});
    std::string output;
    const std::string chunk(4096, 'x');
    for (int i = 0; i < 1000; ++i) {
        std::string_view input = chunk;
        ASSERT_TRUE(std::holds_alternative<NeedMore>(reader.read(input, output)));
    }
    EXPECT_LE(output.size(), 1000u);
}

TEST(DataReader, NormalisedLineEndsCountTowardsTheLimit) {
    // "a\nb\r\n" is 5 octets as received but 6 as stored ("a\r\nb\r\n").
    const Outcome outcome = feed_whole("a\nb\r\n.\r\n", {.max_message_size = 5});
    EXPECT_EQ(outcome.result, DataResult(kMessageTooBig));
}

}  // namespace
}  // namespace govmail::smtp
