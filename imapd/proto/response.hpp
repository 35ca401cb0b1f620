#pragma once

// Building blocks of server responses (RFC 3501 sections 7 and 9): status lines, astrings, flag
// lists and mailbox names, and the reply for a parse error. Strings are written with
// imap_string() (common/imap_string.hpp).
// Sequence sets are written with format_sequence_set() (sequence_set.hpp) and dates with
// format_date_time() (date_time.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imapd/proto/error.hpp"

namespace govmail::imap {

enum class ReplyStatus { Ok, No, Bad };

// "A1 OK text\r\n". `text` may start with a response code: "[READ-WRITE] SELECT completed".
std::string tagged_response(std::string_view tag, ReplyStatus status, std::string_view text);

// "* text\r\n", e.g. untagged_response("3 EXISTS").
std::string untagged_response(std::string_view text);

// "+ text\r\n".
std::string continuation_response(std::string_view text);

// The reply to a reader or parser error. Fatal: "* BYE text"; the session then disconnects.
// Otherwise the tagged (or, with no tag, untagged) BAD, or NO [TOOBIG] / NO [BADCHARSET ...].
std::string error_response(const Error& error);

// An atom when the value is a valid non-NIL atom, else an IMAP string (common/imap_string.hpp:
// quoted when short 7-bit text, else a literal; never a NUL).
std::string format_astring(std::string_view value);

// "(\Seen $Forwarded)"; flags are written as given, "\*" included.
std::string format_flag_list(const std::vector<std::string>& flags);

// A UTF-8 mailbox name as a modified UTF-7 astring. Names come from the store, so invalid UTF-8
// there is a bug; its bytes are written as a literal rather than dropped.
std::string format_mailbox_name(std::string_view utf8);

}  // namespace govmail::imap
