#pragma once

// Arguments of the commands that name mailboxes: SELECT/EXAMINE (RFC 7162 CONDSTORE, QRESYNC),
// CREATE (RFC 6154 USE), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST (RFC 5258, 5819, 6154),
// LSUB, STATUS and APPEND (RFC 3502 MULTIAPPEND, RFC 3516 literal8). Each reads what follows the
// command name.

#include "imapd/proto/commands.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {

Select parse_select(Tokenizer& tokens, bool read_only);
Create parse_create(Tokenizer& tokens);
Rename parse_rename(Tokenizer& tokens);
List parse_list(Tokenizer& tokens);
Lsub parse_lsub(Tokenizer& tokens);
Status parse_status(Tokenizer& tokens);
Append parse_append(Tokenizer& tokens);

// Commands whose only argument is a mailbox: DELETE, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT.
template <class Request>
Request parse_mailbox_only(Tokenizer& tokens) {
    Request request;
    tokens.space();
    request.mailbox = tokens.mailbox();
    return request;
}

}  // namespace govmail::imap
