// libFuzzer target for the SASL OAUTHBEARER message (RFC 7628 section 3.1) as SMTP AUTH and
// IMAP AUTHENTICATE decode it after base64.
// Invariants: an accepted message has a non-empty bearer token of RFC 6750 token68
// characters, at most 8192 octets; writing authzid (saslname-escaped) and token back into a
// minimal message parses to the same two values.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/sasl_messages.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

bool is_token68(std::string_view token) {
    for (const char c : token) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view("-._~+/=").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

// RFC 5801 saslname: "," and "=" escaped.
std::string saslname(std::string_view name) {
    std::string out;
    for (const char c : name) {
        if (c == ',') {
            out += "=2C";
        } else if (c == '=') {
            out += "=3D";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using govmail::fuzz::check;
    const std::string_view message = govmail::fuzz::as_text(data, size);
    const auto bearer = govmail::auth::parse_oauthbearer(message);
    if (!bearer) {
        return 0;
    }
    check(!bearer->token.empty() && bearer->token.size() <= 8192, "token length");
    check(is_token68(bearer->token), "token of token68 characters");
    const std::string header =
        bearer->authzid.empty() ? "n,," : "n,a=" + saslname(bearer->authzid) + ",";
    const std::string again = header + "\x01" + "auth=Bearer " + bearer->token + "\x01\x01";
    const auto reparsed = govmail::auth::parse_oauthbearer(again);
    check(
        reparsed && reparsed->authzid == bearer->authzid && reparsed->token == bearer->token,
        "OAUTHBEARER round-trips"
    );
    return 0;
}
