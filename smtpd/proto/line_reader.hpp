#pragma once

// Extracts SMTP command lines from bytes received from an untrusted client (RFC 5321 2.3.8,
// 4.5.3.1.4). Memory stays bounded by the line limit whatever the client sends: the tail of an
// over-long line is discarded as it arrives and reported once its line end is seen, so the
// reply stays in step with pipelined commands (RFC 2920).

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "smtpd/proto/error.hpp"
#include "smtpd/proto/line_ending.hpp"

namespace govmail::smtp {

// RFC 5321 4.5.3.1.4: a command line is at most 512 octets including the CRLF.
inline constexpr std::size_t kMaxCommandLine = 512;
// RFC 4954 section 4: servers accept AUTH command and continuation lines up to 12288 octets.
// A session offering AUTH (large XOAUTH2/OAUTHBEARER initial responses) constructs its reader
// with this limit.
inline constexpr std::size_t kMaxAuthLine = 12288;

// One complete command line without its line end. The view stays valid until the next read().
struct Line {
    std::string_view text;
};

using LineResult = std::variant<NeedMore, Line, Error>;

class LineReader {
public:
    // max_length counts the line end too, as RFC 5321 does. Lines ending in a bare LF are
    // accepted as if they ended in CRLF unless bare_lf is BareLineEnd::Reject; a CR that is
    // not followed by LF is kept in the line, where the command parser rejects it.
    explicit LineReader(
        std::size_t max_length = kMaxCommandLine, BareLineEnd bare_lf = BareLineEnd::Normalize
    );

    // Consumes bytes from the front of `input` up to and including the next line end and
    // returns the line, an Error (500 5.5.2, line too long or bare LF), or NeedMore once all
    // of `input` has been consumed.
    LineResult read(std::string_view& input);

    // True while part of a line has been received; STARTTLS uses it to refuse plaintext
    // pipelined behind it (the CVE-2011-0411 command injection).
    bool has_partial_line() const;

    // Forgets any partial line, e.g. after STARTTLS.
    void reset();

private:
    std::size_t max_length_;
    BareLineEnd bare_lf_;
    std::string line_;
    bool line_returned_ = false;
    bool discarding_ = false;
};

}  // namespace govmail::smtp
