#pragma once

// Conversion of text in a declared charset to UTF-8 with glibc iconv. Korean mail arrives as
// UTF-8, EUC-KR, CP949 (often labelled ks_c_5601-1987) or ISO-2022-KR; all are handled.

#include <string>
#include <string_view>

namespace govmail::mime {

// `text` converted from `charset` to UTF-8. Bytes the charset cannot decode become U+FFFD.
// An unknown or empty charset falls back to undeclared_to_utf8().
std::string to_utf8(std::string_view text, std::string_view charset);

// Text with no declared charset (raw 8-bit headers): kept when it is valid UTF-8, else read as
// CP949 (the superset of EUC-KR that Korean clients write), with U+FFFD for what neither fits.
std::string undeclared_to_utf8(std::string_view text);

}  // namespace govmail::mime
