#pragma once

// Content-Transfer-Encoding decoding (RFC 2045 section 6) with mimetic's codecs.

#include <string>
#include <string_view>

namespace govmail::mime {

// Base64 with every byte outside the base64 alphabet skipped (RFC 2045 6.8) and a truncated
// final group decoded as far as it goes.
std::string decode_base64(std::string_view encoded);

// `body` decoded per its Content-Transfer-Encoding value (case-insensitive): base64 and
// quoted-printable are decoded, anything else (7bit, 8bit, binary, unknown) is returned as is.
std::string transfer_decode(std::string_view body, std::string_view encoding);

// Whether transfer_decode() undoes `encoding` (case-insensitive): 7bit, 8bit, binary, base64,
// quoted-printable, or empty (no Content-Transfer-Encoding field means 7bit, RFC 2045 6.1).
// BINARY (RFC 3516) refuses the other values with UNKNOWN-CTE.
bool is_known_transfer_encoding(std::string_view encoding);

}  // namespace govmail::mime
