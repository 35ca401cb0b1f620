#pragma once

// SEARCH arguments (RFC 3501 section 6.4.4, RFC 4731 ESEARCH, RFC 5182 SEARCHRES, RFC 7162 MODSEQ).

#include "imapd/proto/commands.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {

// Reads " [RETURN (...)] [CHARSET x] key *(SP key)" after the command name. A charset other than
// UTF-8 or US-ASCII is an ErrorKind::BadCharset error.
Search parse_search(Tokenizer& tokens, bool uid);

// The parts SORT and THREAD share (RFC 5256): "(...)" after RETURN, with RETURN () as ALL; a
// charset name (ErrorKind::BadCharset unless UTF-8 or US-ASCII); key *(SP key), several keys
// making an And node.
SearchReturn parse_search_return(Tokenizer& tokens);
void parse_search_charset(Tokenizer& tokens);
SearchKey parse_search_criteria(Tokenizer& tokens);

}  // namespace govmail::imap
