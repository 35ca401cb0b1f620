// libFuzzer target for the SASL XOAUTH2 message ("user=...\x01auth=Bearer ...\x01\x01") as
// SMTP AUTH and IMAP AUTHENTICATE decode it after base64.
// Invariants: an accepted message has a non-empty bearer token without separators, at most
// 8192 octets; writing user and token back into a minimal message parses to the same values.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/sasl_messages.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using govmail::fuzz::check;
    const std::string_view message = govmail::fuzz::as_text(data, size);
    const auto bearer = govmail::auth::parse_xoauth2(message);
    if (!bearer) {
        return 0;
    }
    check(!bearer->token.empty() && bearer->token.size() <= 8192, "token length");
    check(bearer->token.find_first_of("\x01 ") == std::string::npos, "token has no separator");
    check(bearer->authzid.find('\x01') == std::string::npos, "user has no separator");
    const std::string again =
        "user=" + bearer->authzid + "\x01" + "auth=Bearer " + bearer->token + "\x01\x01";
    const auto reparsed = govmail::auth::parse_xoauth2(again);
    check(
        reparsed && reparsed->authzid == bearer->authzid && reparsed->token == bearer->token,
        "XOAUTH2 round-trips"
    );
    return 0;
}
