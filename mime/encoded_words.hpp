#pragma once

// RFC 2047 encoded-words in header values, decoded to UTF-8 for search and display.

#include <string>
#include <string_view>

namespace govmail::mime {

// `raw_value` (a header field value, folded or not) as UTF-8: encoded-words (B and Q, any charset
// iconv knows plus the Korean aliases, RFC 2231 language suffix ignored) are decoded, white
// space between adjacent encoded-words is dropped, and adjacent words in one charset are joined
// before conversion so a character split across words survives. Text outside encoded-words
// is kept when valid UTF-8, else read as CP949. Line ends are removed; nothing throws on bad input.
std::string decode_header_value(std::string_view raw_value);

}  // namespace govmail::mime
