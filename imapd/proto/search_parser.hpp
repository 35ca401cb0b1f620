#pragma once

// SEARCH arguments (RFC 3501 section 6.4.4, RFC 4731 ESEARCH, RFC 5182 SEARCHRES, RFC 7162 MODSEQ).

#include "imapd/proto/commands.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {

// Reads " [RETURN (...)] [CHARSET x] key *(SP key)" after the command name. A charset other than
// UTF-8 or US-ASCII is an ErrorKind::BadCharset error.
Search parse_search(Tokenizer& tokens, bool uid);

}  // namespace govmail::imap
