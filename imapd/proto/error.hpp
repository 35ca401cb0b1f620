#pragma once

// What the IMAP protocol layer reports when client input cannot be turned into a request.
// Client input never throws: every parser returns a request or one of these.

#include <optional>
#include <string>

namespace govmail::imap {

enum class ErrorKind {
    Syntax,          // malformed command: BAD
    UnknownCommand,  // BAD
    TooLong,         // line or command over its limit: BAD [TOOBIG] (usually fatal)
    TooBig,          // literal over its limit: NO [TOOBIG] (fatal for a non-synchronising literal)
    TooDeep,         // parentheses, NOT or OR nested deeper than allowed: BAD
    BadCharset,      // SEARCH CHARSET other than UTF-8 or US-ASCII: NO [BADCHARSET (...)]
    BadMailboxName,  // not valid modified UTF-7, or no mailbox name (mailbox_name.hpp): BAD
};

struct Error {
    ErrorKind kind = ErrorKind::Syntax;
    std::string text{};
    bool fatal = false;                // the session must say BYE and disconnect
    std::optional<std::string> tag{};  // known when the tag was read before the error

    bool operator==(const Error&) const = default;
};

}  // namespace govmail::imap
