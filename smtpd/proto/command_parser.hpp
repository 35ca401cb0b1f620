#pragma once

// Parses one SMTP command line (without its CRLF, as LineReader returns it) into a Command.
// Talks to untrusted clients: never throws, never echoes client text in its errors.

#include <string_view>
#include <variant>

#include "smtpd/proto/command.hpp"
#include "smtpd/proto/error.hpp"

namespace govmail::smtp {

// What the parser needs to know about the session.
struct CommandContext {
    // The current transaction's MAIL FROM carried SMTPUTF8, so RCPT TO may use UTF-8
    // (RFC 6531 section 3.4). MAIL FROM itself is judged by its own parameters.
    bool smtputf8 = false;
};

// Errors:
//   500 5.5.2  empty line or a control character in the line
//   500 5.5.1  unknown verb; fatal for HTTP verbs and header-like lines ("Host:")
//   502 5.5.1  a verb govmail does not implement (TURN, ETRN, ...)
//   501 5.5.4  bad arguments; fatal for a bad BDAT size, since the chunk length is unknown
//   501 5.1.7 / 5.1.3  bad reverse-path / forward-path
//   553 5.6.7  UTF-8 address without SMTPUTF8
//   555 5.5.4  unknown MAIL/RCPT parameter
std::variant<Command, Error> parse_command(
    std::string_view line, const CommandContext& context = {}
);

}  // namespace govmail::smtp
