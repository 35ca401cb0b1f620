#pragma once

// Turns one complete IMAP command (tag, name, arguments, embedded literals and the final CRLF,
// as the CommandReader collected it) into a typed Command (RFC 3501 section 6 and the extensions
// listed in commands.hpp). Talks to untrusted clients: never throws on input, bounds recursion.

#include <cstddef>
#include <string_view>
#include <variant>

#include "imapd/proto/commands.hpp"
#include "imapd/proto/error.hpp"

namespace govmail::imap {

using ParseResult = std::variant<Command, Error>;

// `max_depth` bounds nested parentheses and NOT/OR search keys. Errors carry the tag when it was
// read; none is fatal, since the whole command has been consumed.
ParseResult parse_command(std::string_view command, std::size_t max_depth);

// True for the line that ends IDLE (RFC 2177): "DONE" in any case, CRLF already removed.
bool is_idle_done(std::string_view line);

}  // namespace govmail::imap
