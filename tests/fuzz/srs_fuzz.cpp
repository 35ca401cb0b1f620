// libFuzzer target for SRS0 addresses (smtpd/lib/srs.hpp): reverse() reads the local part of
// any RCPT TO a client sends to a local domain. Invariants:
// - reverse() of arbitrary input either refuses it or returns local@domain with both parts
//   non-empty;
// - an address forward() writes for the input (as a sender) reverses to exactly that sender.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "smtpd/lib/srs.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::smtpd::srs;
    using govmail::fuzz::check;
    const std::string_view input = govmail::fuzz::as_text(data, size);
    const Key key{"fuzz secret", "example.go.kr", 1'765'000'000, 21};

    if (const auto original = reverse(key, input)) {
        const auto at = original->rfind('@');
        check(at != std::string::npos && at > 0 && at + 1 < original->size(), "local@domain");
    }
    const auto at = input.rfind('@');
    if (at != std::string_view::npos && at > 0 && at + 1 < input.size() &&
        input.substr(at + 1).find('=') == std::string_view::npos) {
        const auto rewritten = forward(key, input);
        check(rewritten.has_value(), "a sender with '@' is rewritten");
        const auto local = rewritten->substr(0, rewritten->rfind('@'));
        check(reverse(key, local) == std::string(input), "forward then reverse is the sender");
    }
    return 0;
}
