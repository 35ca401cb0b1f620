// libFuzzer target for what a remote SMTP server sends the outbound client: its replies
// (ReplyParser) and the extensions its EHLO reply offers (parse_ehlo_extensions).
// Invariants:
// - all at once, one byte at a time and in reads of 1 to 16 bytes, the parser gives the same
//   replies and stops at the same place with the same error;
// - NeedMore consumes the whole read; a reply ends right after its last line's CRLF (or LF);
// - every reply has a valid code (2xx to 5xx, RFC 5321 4.2), 1 to kMaxReplyLines lines of
//   fewer than kMaxReceivedReplyLine octets with no CR or LF, an enhanced status that is
//   empty or matches the reply's class, and a one-line summary;
// - the EHLO extensions of any reply can be read, and only from the lines after the first.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smtpd/queue/ehlo_extensions.hpp"
#include "smtpd/queue/reply_parser.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::smtp {
namespace {

using fuzz::check;

struct Outcome {
    std::vector<Reply> replies;
    std::variant<NeedMore, MalformedReply> end;
    std::size_t consumed = 0;  // of the input, up to the end of the last reply or the error
};

template <class NextSize>
Outcome read_replies(std::string_view input, NextSize&& next_size) {
    ReplyParser parser;
    Outcome out;
    std::string_view rest = input;
    while (!rest.empty()) {
        std::string_view piece = rest.substr(0, next_size());
        const std::size_t piece_size = piece.size();
        // A read may hold several replies: take them all before the next read.
        for (;;) {
            const std::size_t before = piece.size();
            ReplyResult result = parser.read(piece);
            out.consumed += before - piece.size();
            if (auto* reply = std::get_if<Reply>(&result)) {
                out.replies.push_back(std::move(*reply));
                continue;
            }
            if (auto* malformed = std::get_if<MalformedReply>(&result)) {
                out.end = *malformed;
                return out;
            }
            check(piece.empty(), "NeedMore consumes the whole read");
            break;
        }
        rest.remove_prefix(piece_size);
    }
    return out;
}

bool has_line_end(std::string_view text) {
    return text.find_first_of("\r\n") != std::string_view::npos;
}

void check_reply(const Reply& reply) {
    check(reply.code >= 200 && reply.code <= 559, "a reply code is 2xx to 5xx");
    check(reply.code / 10 % 10 <= 5, "the second digit of a reply code is 0 to 5");
    check(!reply.lines.empty() && reply.lines.size() <= kMaxReplyLines, "1 to 100 lines");
    for (const auto& line : reply.lines) {
        check(line.size() < kMaxReceivedReplyLine, "a line within the line limit");
        check(!has_line_end(line), "no CR or LF inside a reply line");
    }
    const std::string enhanced = reply.enhanced();
    check(
        enhanced.empty() || (enhanced.size() >= 5 && enhanced[0] == '0' + reply.kind() &&
                             enhanced[1] == '.' && reply.lines.front().starts_with(enhanced)),
        "the enhanced status is empty or the first line's, of the reply's class"
    );
    const std::string summary = reply.summary();
    check(summary.starts_with(std::to_string(reply.code)), "the summary starts with the code");
    check(!has_line_end(summary), "the summary is one line");

    const EhloExtensions extensions = parse_ehlo_extensions(reply);
    if (reply.lines.size() == 1) {
        check(extensions == EhloExtensions{}, "the greeting line offers no extension");
    }
}

}  // namespace
}  // namespace govmail::smtp

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::smtp;
    const std::string_view input = govmail::fuzz::as_text(data, size);
    const Outcome whole = read_replies(input, [&] { return input.size(); });
    const Outcome bytes = read_replies(input, [] { return std::size_t{1}; });
    govmail::fuzz::ReadSizes sizes(input);
    const Outcome pieces = read_replies(input, [&] { return sizes.next(); });
    const auto same = [](const Outcome& a, const Outcome& b) {
        return a.replies == b.replies && a.end == b.end && a.consumed == b.consumed;
    };
    govmail::fuzz::check(same(whole, bytes), "ReplyParser: all at once equals byte at a time");
    govmail::fuzz::check(same(whole, pieces), "ReplyParser: all at once equals reads of 1-16");
    for (const auto& reply : whole.replies) {
        check_reply(reply);
    }
    return 0;
}
