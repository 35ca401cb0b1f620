#pragma once

// Collects IMAP commands from the bytes a session reads, literals included (RFC 3501 section
// 4.3, RFC 7888 LITERAL+, RFC 3516 literal8), and hands each complete one to parse_command().
// Talks to untrusted clients: every buffer is bounded and literal sizes are checked from the
// "{n}" announcement, before a byte of the literal is stored.
//
// Limits and what happens when they are passed:
// - a line (literal data not counted) over max_line_length: BAD once the line ends, and the
//   session goes on; the bytes past the limit are dropped as they arrive, not stored. Only a
//   non-synchronising literal announced at the end of such a line is fatal (see below).
// - a synchronising literal "{n}" over its limit: a non-fatal TooBig error; the client sends no
//   data before our "+", so the next bytes start a new command.
// - a non-synchronising literal "{n+}" over its limit: fatal. Its data is already on the way and
//   may be gigabytes; reading it only to throw it away would let a client keep us busy, so we
//   disconnect (RFC 7888 section 4 allows either).
// - APPEND literals are bounded by max_append_size, all other literals by max_literal_size; the
//   whole command by max_append_size or max_command_size.
// - nesting deeper than max_depth: a non-fatal TooDeep error from the parser.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "imapd/proto/commands.hpp"
#include "imapd/proto/error.hpp"

namespace govmail::imap {

// What the session writes when next_command() returns NeedContinuation.
inline constexpr std::string_view kLiteralContinuation = "+ Ready for literal data\r\n";

struct ReaderLimits {
    // One line, CRLF included, literal data not. It fits every legal command, before login
    // too: ID (RFC 2971) may send 30 fields with 1,024-octet values, up to 63,500 bytes with
    // every value character quoted-escaped.
    std::size_t max_line_length = std::size_t{64} * 1024;
    // One literal outside APPEND.
    std::uint64_t max_literal_size = std::uint64_t{64} * 1024;
    // A whole command other than APPEND, literals included.
    std::uint64_t max_command_size = std::uint64_t{1024} * 1024;
    // A whole APPEND with all its messages; also bounds each of its literals.
    std::uint64_t max_append_size = std::uint64_t{64} * 1024 * 1024;
    // Nested parentheses and NOT/OR search keys together.
    std::size_t max_depth = 32;
};

struct NeedMore {
    bool operator==(const NeedMore&) const = default;
};

// A synchronising literal was announced: write kLiteralContinuation, then keep reading.
struct NeedContinuation {
    bool operator==(const NeedContinuation&) const = default;
};

using ReaderEvent = std::variant<NeedMore, NeedContinuation, Command, Error>;

// A line read with next_line(), without its CRLF.
struct Line {
    std::string text;

    bool operator==(const Line&) const = default;
};

using LineEvent = std::variant<NeedMore, Line, Error>;

class CommandReader {
public:
    explicit CommandReader(const ReaderLimits& limits);

    // Takes effect from the next line, e.g. the larger line limit after login.
    void set_limits(const ReaderLimits& limits) { limits_ = limits; }

    // Consumes bytes from the front of `input` up to the next event and returns it; NeedMore once
    // `input` is used up. Call again while `input` is not empty: several commands may be
    // pipelined in one read. After a fatal error it keeps returning that error.
    ReaderEvent next_command(std::string_view& input);

    // Reads one raw line instead of a command: an AUTHENTICATE response, or "DONE" during IDLE.
    LineEvent next_line(std::string_view& input);

    // Forgets any partial command, e.g. the plaintext left over when STARTTLS begins.
    void reset();

private:
    struct LiteralAnnouncement {
        std::uint64_t size = 0;
        bool synchronising = true;
    };

    bool take_line(std::string_view& input);
    void track_quotes(std::string_view bytes);
    void discard(std::string_view bytes);
    ReaderEvent finish_overlong_line();
    void take_literal(std::string_view& input);
    ReaderEvent finish_line();
    ReaderEvent finish_command();
    static std::optional<LiteralAnnouncement> literal_announcement(std::string_view line);
    std::optional<Error> refuse_literal(const LiteralAnnouncement& literal) const;
    std::uint64_t command_limit() const;
    std::optional<std::string> known_tag() const;
    Error fail_fatally(ErrorKind kind, std::string&& text);
    void start_line() { line_start_ = buffer_.size(); }
    void clear_command();

    ReaderLimits limits_;
    std::string buffer_;          // the current command so far, literal data included
    std::size_t line_start_ = 0;  // where the current line begins in buffer_
    std::uint64_t literal_left_ = 0;
    bool in_quoted_ = false;  // inside a quoted string on the current line
    bool escaped_ = false;    // after a backslash inside a quoted string
    bool is_append_ = false;
    bool overlong_ = false;      // the current line passed max_line_length: dropping its rest
    std::string overlong_tail_;  // the last bytes of that line, for a literal announcement
    std::optional<Error> fatal_;
};

}  // namespace govmail::imap
