#pragma once

// Incremental decoder for the DATA phase (RFC 5321 section 4.1.1.4 and 4.5.2). Fed arbitrary
// chunks, it removes dot-stuffing and stops exactly at <CRLF>.<CRLF>, leaving any pipelined
// bytes after the terminator in the caller's input.
//
// Talks to untrusted clients and is the SMTP smuggling boundary (CVE-2023-51764, CVE-2023-51765,
// CVE-2023-51766; mox TestSmuggle): only a "." line that both starts after a real CRLF and ends
// in a real CRLF ends the message. "\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r" and the
// like never do; with BareLineEnd::Normalize they are stored as ordinary "." lines with CRLF,
// so nothing downstream can read them as a terminator either.
//
// Decisions:
// - Bare CR and bare LF: see BareLineEnd. Normalize (default) stores each as CRLF; Reject
//   consumes the message to its terminator and then fails it with 550 5.5.2.
// - Lines longer than RFC 5321's 1000 octets are accepted (4.5.3.1.6 permits it); only the
//   message size is bounded.
// - NUL and other octets are stored unchanged.
// - Size: the stored (un-stuffed, normalised) size is bounded by max_message_size. Past it
//   nothing more is appended, the rest is read and discarded up to the terminator, and then
//   552 5.3.4 is reported; the caller discards the partial output.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "smtpd/proto/error.hpp"
#include "smtpd/proto/line_ending.hpp"

namespace govmail::smtp {

inline constexpr std::size_t kDefaultMaxMessageSize = 25 * 1024 * 1024;

// RFC 1870 section 6: the reply for a message over the limit, also for MAIL FROM with SIZE=n
// over the limit.
inline constexpr Error kMessageTooBig{
    ErrorKind::Limit, 552, "5.3.4", "Message size exceeds fixed maximum message size"};

struct DataOptions {
    std::size_t max_message_size = kDefaultMaxMessageSize;
    BareLineEnd bare_line_end = BareLineEnd::Normalize;
};

// The terminator was read; the message is complete.
struct DataEnd {
    std::size_t size;         // octets appended to the output
    bool had_bare_line_ends;  // bare CR or LF were normalised (worth a log line)

    friend bool operator==(const DataEnd&, const DataEnd&) = default;
};

using DataResult = std::variant<NeedMore, DataEnd, Error>;

class DataReader {
public:
    explicit DataReader(DataOptions options = {});

    // Consumes bytes from the front of `input`, appending message text to `output`, and stops
    // right after the terminator. Returns NeedMore when all of `input` was consumed without
    // reaching it; DataEnd or an Error (552 5.3.4, 550 5.5.2) once it was read. After that,
    // read() consumes nothing and returns the same result again.
    DataResult read(std::string_view& input, std::string& output);

private:
    // Where the decoder is within the current line; pending octets are implied by the state.
    enum class State {
        LineStart,  // at the start of a line
        Dot,        // a "." at line start, not yet known to be stuffing or the terminator
        DotCr,      // ".\r" at line start
        InLine,     // inside a line
        Cr,         // "\r" inside a line, not yet known to be part of CRLF
        Done,
    };

    void append(std::string& output, std::string_view text);
    void end_line(std::string& output, bool crlf);
    DataResult finish();

    DataOptions options_;
    State state_ = State::LineStart;
    bool line_started_by_crlf_ = true;  // the data begins as if after a CRLF
    bool bare_line_end_seen_ = false;
    bool too_big_ = false;
    std::size_t size_ = 0;
};

}  // namespace govmail::smtp
