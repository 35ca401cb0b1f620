#pragma once

// SORT and THREAD arguments (RFC 5256, RFC 5267 ESORT, RFC 5957 DISPLAYFROM/DISPLAYTO). The
// search keys after the charset are SEARCH's (search_parser.hpp).

#include "imapd/proto/commands.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {

// Reads " [RETURN (...)] (sort-criteria) charset key *(SP key)" after the command name.
Sort parse_sort(Tokenizer& tokens, bool uid);

// Reads " algorithm charset key *(SP key)" after the command name.
Thread parse_thread(Tokenizer& tokens, bool uid);

}  // namespace govmail::imap
