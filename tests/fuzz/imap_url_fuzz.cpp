// libFuzzer target for the IMAP URL parser CATENATE reads (RFC 5092, imapd/proto/imap_url.hpp).
// Invariants for every URL that parses: a non-empty mailbox of valid UTF-8 without control
// characters, a user (when named) likewise, a non-zero UID and UIDVALIDITY, a non-zero partial
// length and an upper-case section.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/ascii.hpp"
#include "common/utf8.hpp"
#include "imapd/proto/imap_url.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

bool is_clean_text(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return false;
        }
    }
    return govmail::is_valid_utf8(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using govmail::fuzz::check;
    const auto url = govmail::imap::parse_imap_url(govmail::fuzz::as_text(data, size));
    if (!url) {
        return 0;
    }
    check(!url->mailbox.empty() && is_clean_text(url->mailbox), "a clean mailbox name");
    check(!url->user || (!url->user->empty() && is_clean_text(*url->user)), "a clean user");
    check(url->uid != 0, "a UID");
    check(!url->uidvalidity || *url->uidvalidity != 0, "a UIDVALIDITY");
    check(!url->partial || url->partial->length != 0, "a partial range");
    check(url->section == govmail::ascii::upper(url->section), "an upper-case section");
    return 0;
}
