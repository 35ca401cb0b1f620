// libFuzzer target for percent-encoding (RFC 3986 section 2.1) both ways: common
// percent_encode(), used for the query values the portal and the OAuth redirects write, and
// portal::percent_decode(), used on every form field and query value a browser sends.
// Invariants: encoding yields only unreserved characters and %XX; decoding an encoding gives
// the input back; decoding never grows the text; text with no '%' or '+' decodes to itself.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/percent_encoding.hpp"
#include "portal/form.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

bool unreserved_or_escape(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '%';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using govmail::fuzz::check;
    const std::string_view text = govmail::fuzz::as_text(data, size);

    const auto encoded = govmail::percent_encode(text);
    for (const char c : encoded) {
        check(unreserved_or_escape(c), "encoding yields unreserved characters and %XX only");
    }
    check(govmail::portal::percent_decode(encoded) == text, "decoding an encoding gives it back");

    const auto decoded = govmail::portal::percent_decode(text);
    check(decoded.size() <= text.size(), "decoding never grows the text");
    if (text.find_first_of("%+") == std::string_view::npos) {
        check(decoded == text, "text without escapes decodes to itself");
    }
    return 0;
}
