#pragma once

// Arguments of GETMETADATA and SETMETADATA (RFC 5464 sections 4.2 and 4.3), read after the
// command name. Entry names are checked (RFC 5464 3.2: under /private or /shared, no "*", "%",
// empty levels, trailing "/" or control characters) and lower-cased.

#include "imapd/proto/commands.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {

GetMetadata parse_get_metadata(Tokenizer& tokens);
SetMetadata parse_set_metadata(Tokenizer& tokens);

}  // namespace govmail::imap
