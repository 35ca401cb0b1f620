#pragma once

// The IMAP ENVELOPE (RFC 3501 section 7.4.2) of a message header.

#include <string>
#include <vector>

#include "mime/header.hpp"

namespace govmail::mime {

// ("date" "subject" (from) (sender) (reply-to) (to) (cc) (bcc) "in-reply-to" "message-id"):
// values raw as in the header (unfolded; encoded-words left for the client), NIL when absent;
// sender and reply-to fall back to from when absent or empty.
std::string envelope(const std::vector<HeaderField>& fields);

}  // namespace govmail::mime
