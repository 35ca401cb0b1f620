#pragma once

// UTF-8 well-formedness check (RFC 3629): rejects overlong forms, surrogates, code points above
// U+10FFFF and truncated sequences. Used for RFC 6531 mailboxes and RFC 4616 PLAIN credentials.

#include <string_view>

namespace govmail {

bool is_valid_utf8(std::string_view text);

// Whether TEXT is all US-ASCII (no byte above 0x7F).
bool is_ascii(std::string_view text);

}  // namespace govmail
