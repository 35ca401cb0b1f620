#pragma once

// Modified UTF-7 for mailbox names (RFC 3501 section 5.1.3): printable ASCII stands for itself,
// "&" is written "&-", everything else is UTF-16 in base64 with "," for "/" between "&" and "-".

#include <optional>
#include <string>
#include <string_view>

namespace govmail::imap {

// UTF-8 to modified UTF-7. Nullopt if the input is not valid UTF-8.
std::optional<std::string> mutf7_encode(std::string_view utf8);

// Modified UTF-7 to UTF-8. An "&" followed by neither "-" nor a modified-base64 character
// (or at the end) stands for itself. Nullopt for anything a correct encoder would not produce:
// 8-bit or control bytes, an unterminated or empty "&...-" run, printable ASCII in base64, a
// control character in base64 ("&AAA-" is NUL, which SQL would take for the end of the name),
// leftover bits, an odd byte count or unpaired surrogates.
std::optional<std::string> mutf7_decode(std::string_view mutf7);

}  // namespace govmail::imap
