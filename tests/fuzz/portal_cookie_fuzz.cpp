// libFuzzer target for the Cookie request header (RFC 6265 section 5.4) as the portal reads it:
// portal::parse_cookies().
// Invariants: names are not empty; names and values carry no ';' and no leading or trailing
// space or tab, and no name contains '='; a name's value is the one of its first pair; the
// cookies written back as "name=value; ..." parse to the same cookies.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "portal/form.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

bool trimmed(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    return text.empty() || (!blank(text.front()) && !blank(text.back()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using govmail::fuzz::check;
    const std::string_view header = govmail::fuzz::as_text(data, size);

    const auto cookies = govmail::portal::parse_cookies(header);
    std::string written;
    for (const auto& [name, value] : cookies) {
        check(!name.empty(), "no cookie has an empty name");
        check(name.find_first_of(";=") == std::string::npos, "a name holds no ';' or '='");
        check(value.find(';') == std::string::npos, "a value holds no ';'");
        check(trimmed(name) && trimmed(value), "names and values are trimmed");
        if (!written.empty()) {
            written += "; ";
        }
        written += name + "=" + value;
    }
    check(govmail::portal::parse_cookies(written) == cookies, "written cookies parse back");
    // The first pair of a name wins: a copy of the header with a pair added at its end reads
    // the same for every name it had.
    const auto appended = govmail::portal::parse_cookies(std::string(header) + ";x=appended");
    for (const auto& [name, value] : cookies) {
        check(govmail::portal::field(appended, name) == value, "the first pair of a name wins");
    }
    return 0;
}
