#pragma once

// The outcome types shared by every SMTP protocol parser. A parser never throws on client input:
// it returns NeedMore (feed more bytes), a typed value, or an Error that already names the reply
// the session sends (code, RFC 3463 enhanced status, fixed text).

#include <string_view>

namespace govmail::smtp {

// More bytes are needed before the parser can say anything.
struct NeedMore {
    friend bool operator==(const NeedMore&, const NeedMore&) = default;
};

enum class ErrorKind {
    Syntax,        // malformed command, argument, parameter or encoding (500, 501, 555)
    Unrecognized,  // unknown or unimplemented verb (500, 502)
    Policy,        // well-formed but not allowed here, e.g. UTF-8 without SMTPUTF8 (553, 550)
    Limit,         // a configured or RFC length limit was exceeded (500, 501, 552)
    Cancelled,     // the client cancelled a SASL exchange with "*" (501)
};

struct Error {
    ErrorKind kind;
    int code;                   // SMTP reply code, e.g. 501
    std::string_view enhanced;  // RFC 3463 status, e.g. "5.5.2"; always a string literal
    std::string_view text;      // reply text; always a string literal, never client input
    bool fatal = false;         // the session replies and then closes the connection

    friend bool operator==(const Error&, const Error&) = default;
};

}  // namespace govmail::smtp
