#pragma once

// Splits the client's bytes into ManageSieve commands (RFC 5804 section 4): a command name,
// then arguments that are quoted strings, literals ({N+} or {N} then CRLF and N octets, taken
// without a continuation as RFC 5804 clients send them) or numbers, then CRLF. Limits are
// checked before anything is kept: a line longer than max_line or a literal larger than
// max_literal is a fatal error.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace govmail::managesieve {

struct ReaderLimits {
    std::size_t max_line = 8 * 1024;       // bytes of a command outside its literals
    std::size_t max_literal = 256 * 1024;  // one script
    std::size_t max_quoted = 1024;         // RFC 5804 section 4: quoted strings
    std::size_t max_arguments = 4;         // the most any command takes is 2
};

struct Command {
    std::string name;  // upper-case
    std::vector<std::string> args;
};

struct NeedMore {};

struct ReadError {
    std::string text;
    bool fatal = false;  // the connection cannot be resynchronised: BYE
};

using ReadEvent = std::variant<NeedMore, Command, ReadError>;

// Reads one command from the front of INPUT, removing what it consumed (the command, or the
// bad line of a non-fatal error). NeedMore leaves INPUT as it was.
ReadEvent read_command(std::string_view& input, const ReaderLimits& limits);

// Reads a line of arguments alone, as a client answers a SASL challenge: the Command has
// no name.
ReadEvent read_arguments(std::string_view& input, const ReaderLimits& limits);

}  // namespace govmail::managesieve
