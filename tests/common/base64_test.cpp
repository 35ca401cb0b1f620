// Strict base64 for SASL: RFC 4648 test vectors and the malformed inputs a client may send.

#include "common/base64.hpp"

#include <gtest/gtest.h>

namespace govmail {
namespace {

TEST(Base64, Rfc4648VectorsRoundTrip) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(encode_base64(plain), encoded);
        EXPECT_EQ(decode_base64_strict(encoded), std::optional<std::string>(plain)) << encoded;
    }
}

TEST(Base64, RejectsMalformedInput) {
    for (const char* bad :
         {"Zg", "Zg=", "Z===", "Zm9v\r\n", "Zm 9v", "Zm9=v", "Zh==", "Zm9w=", "Zm-v"}) {
        EXPECT_FALSE(decode_base64_strict(bad)) << bad;
    }
}

TEST(Base64, KeepsBinaryBytes) {
    const std::string binary("\0\x01\xff\xfe", 4);
    EXPECT_EQ(decode_base64_strict(encode_base64(binary)), binary);
}

TEST(Base64, MimeLinesAre76CharactersEndingInCrlf) {
    EXPECT_EQ(encode_base64_lines(""), "");
    EXPECT_EQ(encode_base64_lines("abc"), "YWJj\r\n");
    const std::string body(57 * 2 + 1, 'x');  // 57 bytes make exactly one 76-character line
    const auto lines = encode_base64_lines(body);
    EXPECT_EQ(lines.substr(76, 2), "\r\n");
    EXPECT_EQ(lines.substr(154, 2), "\r\n");
    EXPECT_EQ(lines.size(), 76 + 2 + 76 + 2 + 4 + 2);
    std::string joined;
    for (std::size_t i = 0; i < lines.size(); i += 78) {
        joined += lines.substr(i, std::min<std::size_t>(76, lines.size() - i - 2));
    }
    EXPECT_EQ(decode_base64_strict(joined), body);
}

}  // namespace
}  // namespace govmail
