// libFuzzer target for the meaning of a mailbox name a client sends: modified UTF-7 decoding
// (RFC 3501 section 5.1.3), then canonical_mailbox_name(), the way the tokenizer reads every
// mailbox argument (issue 28: "&AAA-" decoded to NUL and reached SQL as a name cut short).
// Invariants for every name that passes: valid UTF-8, no control character, no empty level,
// no wildcard, a first level "INBOX" only in upper case, a fixed point of canonicalisation,
// within the limits when it passes them, and its encoding decodes back to it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/utf8.hpp"
#include "imapd/proto/mailbox_name.hpp"
#include "imapd/proto/mutf7.hpp"
#include "imapd/proto/tokenizer.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::imap {
namespace {

using fuzz::check;

constexpr MailboxNameLimits kLimits{64, 4};

bool has_control(std::string_view utf8) {
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        const bool c1 =
            byte == 0xc2 && i + 1 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) <= 0x9f;
        if (byte < 0x20 || byte == 0x7f || c1) {
            return true;
        }
    }
    return false;
}

void check_name(const std::string& name) {
    check(!name.empty(), "not empty");
    check(is_valid_utf8(name), "valid UTF-8");
    check(!has_control(name), "no control character");
    check(name.front() != kDelimiter && name.back() != kDelimiter, "no empty first or last level");
    check(name.find("//") == std::string::npos, "no empty level");
    check(name.find_first_of("%*") == std::string::npos, "no wildcard");
    const std::string_view first = std::string_view(name).substr(0, name.find(kDelimiter));
    check(!iequals(first, "INBOX") || first == "INBOX", "INBOX in one case");
    check(canonical_mailbox_name(name) == CanonicalName(name), "canonical is a fixed point");
    const auto encoded = mutf7_encode(name);
    check(encoded.has_value(), "a canonical name encodes");
    check(mutf7_decode(*encoded) == name, "the encoding decodes back");
}

}  // namespace
}  // namespace govmail::imap

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::imap;
    const auto decoded = mutf7_decode(govmail::fuzz::as_text(data, size));
    if (!decoded) {
        return 0;
    }
    govmail::fuzz::check(govmail::is_valid_utf8(*decoded), "decoding gives UTF-8");
    const auto canonical = canonical_mailbox_name(*decoded);
    const auto* name = std::get_if<std::string>(&canonical);
    if (name == nullptr) {
        return 0;
    }
    check_name(*name);
    const auto limited = canonical_mailbox_name(*name, kLimits);
    if (const auto* within = std::get_if<std::string>(&limited)) {
        govmail::fuzz::check(within->size() <= kLimits.max_bytes, "within the byte limit");
    }
    return 0;
}
