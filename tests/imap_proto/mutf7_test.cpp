// Modified UTF-7 mailbox names (RFC 3501 section 5.1.3).

#include "imapd/proto/mutf7.hpp"

#include <gtest/gtest.h>

namespace govmail::imap {
namespace {

struct Mutf7Case {
    std::string_view utf8;
    std::string_view mutf7;
};

const Mutf7Case kRoundTrips[] = {
    {"INBOX", "INBOX"},
    {"A & B", "A &- B"},
    {"~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
     "~peter/mail/&U,BTFw-/&ZeVnLIqe-"},
    {"\xeb\xb3\xb4\xeb\x82\xb8 \xed\x8e\xb8\xec\xa7\x80\xed\x95\xa8", "&vPSwuA- &07jJwNVo-"},
    {"Entw\xc3\xbc rfe", "Entw&APw- rfe"},
    {"\xf0\x9f\x93\xa7 mail", "&2D3c5w- mail"},
    {"", ""},
};

class Mutf7RoundTripTest : public testing::TestWithParam<Mutf7Case> {};

TEST_P(Mutf7RoundTripTest, Encodes) { EXPECT_EQ(mutf7_encode(GetParam().utf8), GetParam().mutf7); }

TEST_P(Mutf7RoundTripTest, Decodes) { EXPECT_EQ(mutf7_decode(GetParam().mutf7), GetParam().utf8); }

INSTANTIATE_TEST_SUITE_P(Names, Mutf7RoundTripTest, testing::ValuesIn(kRoundTrips));

const std::string_view kMalformed[] = {
    "&Jjo",         // unterminated
    "&Jjo!-",       // not base64
    "&AGE-",        // "a" encoded, must be direct
    "&Jjo-&Jjo-",   // two runs that a correct encoder would merge
    "&AG-",         // leftover bits
    "&2D0-",        // high surrogate alone
    "&3ec-",        // low surrogate alone
    "caf\xc3\xa9",  // raw 8-bit
    "tab\there",    // control character
    "&Jjo/-",       // "/" is "," in modified base64
};

TEST(Mutf7, RefusesMalformedNames) {
    for (const std::string_view name : kMalformed) {
        EXPECT_EQ(mutf7_decode(name), std::nullopt) << name;
    }
}

// RFC 3501 5.1.3: "&" starts a shift only into modified base64; a name of atom characters
// may hold one otherwise.
TEST(Mutf7, TakesAnAmpersandNotStartingBase64AsItself) {
    EXPECT_EQ(mutf7_decode("!#$&'+,-.:;"), "!#$&'+,-.:;");
    EXPECT_EQ(mutf7_decode("A & B"), "A & B");
    EXPECT_EQ(mutf7_decode("tail&"), "tail&");
    EXPECT_EQ(mutf7_decode("&&-"), "&&");
}

TEST(Mutf7, RefusesInvalidUtf8ToEncode) {
    EXPECT_EQ(mutf7_encode("\xff"), std::nullopt);
    EXPECT_EQ(mutf7_encode("\xed\xa0\x80"), std::nullopt);  // encoded surrogate
    EXPECT_EQ(mutf7_encode("\xe2\x82"), std::nullopt);      // truncated
}

}  // namespace
}  // namespace govmail::imap
