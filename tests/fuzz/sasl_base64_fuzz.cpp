// libFuzzer target for the base64 layer of SASL (RFC 4648 section 4, RFC 4954 section 4): the
// client's AUTH initial response and continuation lines, which carry every mechanism's message
// (LOGIN's user name and password as they are). Strict decoding is what keeps two spellings of
// one credential apart in logs and throttling.
// Invariants: a line that decodes is the canonical base64 of what it decodes to; "*" cancels
// and "=" is the empty response; any bytes encode and decode back to themselves.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/base64.hpp"
#include "smtpd/proto/sasl.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail;
    using fuzz::check;
    const std::string_view line = fuzz::as_text(data, size);

    const auto strict = decode_base64_strict(line);
    if (strict) {
        check(encode_base64(*strict) == line, "strict base64 is canonical");
    }
    const auto response = smtp::decode_sasl_response(line);
    if (line == "*") {
        check(std::get<smtp::Error>(response).kind == smtp::ErrorKind::Cancelled, "* cancels");
    } else {
        check(
            std::holds_alternative<std::string>(response) == strict.has_value(),
            "a response line is strict base64"
        );
    }
    const auto initial = smtp::decode_initial_response(line);
    if (line == "=") {
        check(std::get<std::string>(initial).empty(), "= is the empty response");
    } else if (const auto* text = std::get_if<std::string>(&initial)) {
        check(strict && *text == *strict, "an initial response is strict base64");
    }

    const auto round = decode_base64_strict(encode_base64(line));
    check(round && *round == line, "base64 round-trips");
    return 0;
}
