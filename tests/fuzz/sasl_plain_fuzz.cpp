// libFuzzer target for the SASL PLAIN message (RFC 4616) as SMTP AUTH and IMAP AUTHENTICATE
// decode it after base64 (auth::SaslServer calls auth::parse_plain() for both).
// Invariants: an accepted message is exactly authzid NUL authcid NUL password again, each part
// free of NUL, at most 255 octets, authcid and password not empty; base64 of the message
// decodes back to it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "auth/sasl_messages.hpp"
#include "common/base64.hpp"
#include "smtpd/proto/sasl.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using govmail::fuzz::check;
    const std::string_view message = govmail::fuzz::as_text(data, size);

    const auto plain = govmail::auth::parse_plain(message);
    if (plain) {
        const std::string again = plain->authzid + '\0' + plain->authcid + '\0' + plain->password;
        check(again == message, "PLAIN re-encodes to the message it came from");
        for (const std::string* part : {&plain->authzid, &plain->authcid, &plain->password}) {
            check(part->size() <= 255 && part->find('\0') == std::string::npos, "part bounds");
        }
        check(!plain->authcid.empty() && !plain->password.empty(), "authcid and password set");
    }

    // The form it arrives in: base64 on the AUTH line or as an IMAP continuation.
    const auto decoded = govmail::smtp::decode_initial_response(govmail::encode_base64(message));
    const auto* text = std::get_if<std::string>(&decoded);
    check(text != nullptr && *text == message, "base64 of the message decodes back to it");
    return 0;
}
