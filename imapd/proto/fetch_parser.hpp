#pragma once

// FETCH arguments (RFC 3501 section 6.4.5, RFC 3516 BINARY, RFC 7162 CHANGEDSINCE and VANISHED).

#include "imapd/proto/commands.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {

// Reads " set (items | item | ALL | FAST | FULL) [(modifiers)]" after the command name.
Fetch parse_fetch(Tokenizer& tokens, bool uid);

}  // namespace govmail::imap
