// libFuzzer target for the LIST pattern matcher (RFC 3501 section 6.3.8). The input is split
// at its first NUL into a pattern and a name (both as the tokenizer would hand them over).
// Invariants: "*" matches every name; "%" matches exactly the names without "/"; a pattern
// without wildcards matches only itself; the pattern with every "*" doubled and every "%"
// doubled means the same; pattern + "*" matches whatever the pattern matches; and the match
// reads the name once, so even 64 KiB inputs stay within libFuzzer's time limit.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "imapd/proto/mailbox_pattern.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::imap {
namespace {

using fuzz::check;

std::string doubled_wildcards(std::string_view pattern) {
    std::string out;
    for (const char c : pattern) {
        out += c;
        if (c == '*' || c == '%') {
            out += c;
        }
    }
    return out;
}

}  // namespace
}  // namespace govmail::imap

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::imap;
    const std::string_view input = govmail::fuzz::as_text(data, size);
    const auto split = input.find('\0');
    const std::string_view pattern = input.substr(0, split);
    const std::string_view name =
        split == std::string_view::npos ? std::string_view{} : input.substr(split + 1);

    const MailboxPattern compiled(pattern);
    const bool matches = compiled.matches(name);
    check(matches_pattern(name, "*"), "* matches every name");
    check(
        matches_pattern(name, "%") == (name.find(kDelimiter) == std::string_view::npos),
        "% matches the names without a delimiter"
    );
    if (pattern.find_first_of("*%") == std::string_view::npos) {
        check(matches == (name == pattern), "a pattern without wildcards matches only itself");
    }
    check(
        MailboxPattern(doubled_wildcards(pattern)).matches(name) == matches,
        "runs of one wildcard mean the wildcard"
    );
    if (matches) {
        check(matches_pattern(name, std::string(pattern) + "*"), "pattern* extends pattern");
    }
    check(
        compiled.matches(pattern) || pattern.find_first_of("*%") != std::string_view::npos,
        "a literal pattern matches itself"
    );
    return 0;
}
