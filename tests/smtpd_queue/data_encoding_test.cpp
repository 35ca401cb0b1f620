// DATA content for the next server: dot-stuffing, CRLF normalisation (no smuggled
// end-of-data can pass through us), and the Return-Path the store keeps.

#include "smtpd/queue/data_encoding.hpp"

#include <gtest/gtest.h>

#include "smtpd/proto/data_reader.hpp"
#include "tests/smtp_proto/test_support.hpp"

namespace govmail::smtp {
namespace {

struct Case {
    std::string name;
    std::string message;
    std::string wire;
};

const std::vector<Case> kCases{
    {"plain", "Subject: x\r\n\r\nbody\r\n", "Subject: x\r\n\r\nbody\r\n.\r\n"},
    {"leading dot", ".hidden\r\n", "..hidden\r\n.\r\n"},
    {"lone dot line", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n"},
    {"dots inside lines untouched", "a.b\r\n x.\r\n", "a.b\r\n x.\r\n.\r\n"},
    {"no final line end", "last line", "last line\r\n.\r\n"},
    {"empty", "", ".\r\n"},
    {"bare LF", "a\nb\n", "a\r\nb\r\n.\r\n"},
    {"bare CR", "a\rb\r", "a\r\nb\r\n.\r\n"},
    {"smuggling LF.LF", "x\n.\nMAIL FROM:<e@x>\r\n", "x\r\n..\r\nMAIL FROM:<e@x>\r\n.\r\n"},
    {"smuggling CRLF.CR", "x\r\n.\rRCPT TO:<v@x>\r\n", "x\r\n..\r\nRCPT TO:<v@x>\r\n.\r\n"},
    {"smuggling CR.CRLF", "x\r.\r\ny\r\n", "x\r\n..\r\ny\r\n.\r\n"},
};

class EncodeData : public testing::TestWithParam<Case> {};

TEST_P(EncodeData, Wire) { EXPECT_EQ(encode_data(GetParam().message), GetParam().wire); }

// What our own server's DATA reader makes of the wire form is the message with CRLF ends.
TEST_P(EncodeData, ServerReadsItBack) {
    const std::string wire = encode_data(GetParam().message);
    DataReader reader(DataOptions{1 << 20, BareLineEnd::Reject});
    std::string_view input = wire;
    std::string out;
    const auto result = reader.read(input, out);
    ASSERT_TRUE(std::holds_alternative<DataEnd>(result));
    EXPECT_TRUE(input.empty());
    EXPECT_EQ(encode_data(out), wire);
}

INSTANTIATE_TEST_SUITE_P(Messages, EncodeData, testing::ValuesIn(kCases), case_name<Case>);

TEST(WithoutReturnPath, DropsTheLeadingFieldOnly) {
    EXPECT_EQ(
        without_return_path("Return-Path: <a@b>\r\nReceived: x\r\n\r\nbody\r\n"),
        "Received: x\r\n\r\nbody\r\n"
    );
    EXPECT_EQ(
        without_return_path("return-path:\r\n <a@b>\r\nSubject: s\r\n\r\n"), "Subject: s\r\n\r\n"
    );
    EXPECT_EQ(
        without_return_path("Subject: s\r\nReturn-Path: <a@b>\r\n\r\n"),
        "Subject: s\r\nReturn-Path: <a@b>\r\n\r\n"
    );
    EXPECT_EQ(without_return_path("Return-Path: <a@b>"), "");
}

TEST(HasEightBit, FindsOctetsAbove127) {
    EXPECT_FALSE(has_eight_bit("Subject: plain\r\n"));
    EXPECT_TRUE(has_eight_bit("Subject: 안녕\r\n"));
}

}  // namespace
}  // namespace govmail::smtp
