// Strict base64 for SASL: RFC 4648 test vectors and the malformed inputs a client may send.

#include <gtest/gtest.h>

#include "common/base64.hpp"

namespace govmail {
namespace {

TEST(Base64, Rfc4648VectorsRoundTrip) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},           {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(encode_base64(plain), encoded);
        EXPECT_EQ(decode_base64_strict(encoded), std::optional<std::string>(plain)) << encoded;
    }
}

TEST(Base64, RejectsMalformedInput) {
    for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v\r\n", "Zm 9v", "Zm9=v", "Zh==", "Zm9w=", "Zm-v"}) {
        EXPECT_FALSE(decode_base64_strict(bad)) << bad;
    }
}

TEST(Base64, KeepsBinaryBytes) {
    const std::string binary("\0\x01\xff\xfe", 4);
    EXPECT_EQ(decode_base64_strict(encode_base64(binary)), binary);
}

}  // namespace
}  // namespace govmail
