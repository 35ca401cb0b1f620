#pragma once

// Reading SMTP replies (RFC 5321 section 4.2) as the client of a remote server, which is as
// untrusted as any client: a reply is at most kMaxReplyLines lines of at most
// kMaxReceivedReplyLine octets, and anything else is a MalformedReply that ends the session.
// Fed arbitrary chunks; no I/O.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smtpd/proto/error.hpp"
#include "smtpd/proto/line_reader.hpp"

namespace govmail::smtp {

// RFC 5321 4.5.3.1.5 says 512; real servers send longer lines, so accept some more.
inline constexpr std::size_t kMaxReceivedReplyLine = 2048;
inline constexpr std::size_t kMaxReplyLines = 100;

struct Reply {
    int code = 0;                    // 200 ... 599
    std::vector<std::string> lines;  // the text of each line, after "250-" or "250 "

    int kind() const { return code / 100; }  // 2, 3, 4 or 5
    // The RFC 3463 status starting the first line ("5.1.1"), or "" when there is none.
    std::string enhanced() const;
    // "550 5.1.1 first line text second line text": the reply on one line, for logs, the
    // queue's last_reply and a DSN's Diagnostic-Code.
    std::string summary() const;

    friend bool operator==(const Reply&, const Reply&) = default;
};

struct MalformedReply {
    std::string_view reason;  // a string literal
    friend bool operator==(const MalformedReply&, const MalformedReply&) = default;
};

using ReplyResult = std::variant<NeedMore, Reply, MalformedReply>;

class ReplyParser {
public:
    ReplyParser();

    // Consumes bytes from the front of `input` up to the end of a complete reply and returns
    // it, or NeedMore once all of `input` was consumed, or MalformedReply.
    ReplyResult read(std::string_view& input);

private:
    LineReader lines_;
    Reply partial_;
};

}  // namespace govmail::smtp
