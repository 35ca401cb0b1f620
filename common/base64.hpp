#pragma once

// Base64 (RFC 4648 section 4) for protocol fields: SASL exchanges in SMTP and IMAP. Decoding
// is strict, as a server must be with untrusted input: length a multiple of 4, "=" only as
// final padding, zero pad bits, no whitespace. (Message bodies use the lenient decoder in
// mime/transfer_encoding.hpp.)

#include <optional>
#include <string>
#include <string_view>

namespace govmail {

std::optional<std::string> decode_base64_strict(std::string_view text);

std::string encode_base64(std::string_view data);

// DATA in base64 as a MIME body carries it: lines of 76 characters, each ending in CRLF
// (RFC 2045 section 6.8).
std::string encode_base64_lines(std::string_view data);

}  // namespace govmail
