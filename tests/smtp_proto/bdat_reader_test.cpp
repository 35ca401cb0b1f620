#include "smtpd/proto/bdat_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {
namespace {

TEST(BdatReader, ReadsChunksVerbatim) {
    BdatReader reader;
    std::string output;
    reader.start_chunk(Bdat{5, false});
    std::string_view input = "a\n.\r\nBDAT 3 LAST\r\n";  // no un-stuffing, no line-end changes
    EXPECT_EQ(reader.read(input, output), BdatResult(BdatChunkEnd{false, 5}));
    EXPECT_EQ(input, "BDAT 3 LAST\r\n");
    reader.start_chunk(Bdat{3, true});
    std::string_view rest = "xyzQUIT\r\n";
    EXPECT_EQ(reader.read(rest, output), BdatResult(BdatChunkEnd{true, 8}));
    EXPECT_EQ(rest, "QUIT\r\n");
    EXPECT_EQ(output, "a\n.\r\nxyz");
}

TEST(BdatReader, FitsSaysWhetherAChunkLeavesTheMessageWithinTheLimit) {
    BdatReader reader(10);
    EXPECT_TRUE(reader.fits(Bdat{10, true}));
    EXPECT_FALSE(reader.fits(Bdat{11, true}));
    EXPECT_FALSE(reader.fits(Bdat{4294967296, true}));
    reader.start_chunk(Bdat{4, false});
    std::string output;
    std::string_view input = "abcd";
    EXPECT_EQ(reader.read(input, output), BdatResult(BdatChunkEnd{false, 4}));
    EXPECT_TRUE(reader.fits(Bdat{6, true}));
    EXPECT_FALSE(reader.fits(Bdat{7, true}));
}

TEST(BdatReader, ChunkArrivesOneByteAtATime) {
    BdatReader reader;
    std::string output;
    reader.start_chunk(Bdat{4, true});
    for (std::string_view byte : {"a", "b", "c"}) {
        EXPECT_TRUE(std::holds_alternative<NeedMore>(reader.read(byte, output)));
        EXPECT_TRUE(byte.empty());
    }
    std::string_view last = "d";
    EXPECT_EQ(reader.read(last, output), BdatResult(BdatChunkEnd{true, 4}));
    EXPECT_EQ(output, "abcd");
}

TEST(BdatReader, EmptyLastChunkEndsImmediately) {
    BdatReader reader;
    std::string output;
    reader.start_chunk(Bdat{0, true});
    std::string_view input = "QUIT\r\n";
    EXPECT_EQ(reader.read(input, output), BdatResult(BdatChunkEnd{true, 0}));
    EXPECT_EQ(input, "QUIT\r\n");
}

TEST(BdatReader, OversizeChunkIsConsumedAndRejected) {
    BdatReader reader(6);
    std::string output;
    reader.start_chunk(Bdat{4, false});
    std::string_view first = "abcd";
    EXPECT_EQ(reader.read(first, output), BdatResult(BdatChunkEnd{false, 4}));
    reader.start_chunk(Bdat{3, false});
    std::string_view second = "efgNOOP\r\n";
    EXPECT_EQ(reader.read(second, output), BdatResult(kMessageTooBig));
    EXPECT_EQ(second, "NOOP\r\n");
    reader.start_chunk(Bdat{1, true});  // later chunks of the same message fail too
    std::string_view third = "h";
    EXPECT_EQ(reader.read(third, output), BdatResult(kMessageTooBig));
    EXPECT_EQ(output, "abcd");
}

TEST(BdatReader, HugeAnnouncedChunkAllocatesNothing) {
    BdatReader reader(100);
    std::string output;
    reader.start_chunk(Bdat{std::numeric_limits<std::uint64_t>::max(), true});
    std::string_view input = "abc";
    EXPECT_TRUE(std::holds_alternative<NeedMore>(reader.read(input, output)));
    EXPECT_TRUE(output.empty());
}

}  // namespace
}  // namespace govmail::smtp
