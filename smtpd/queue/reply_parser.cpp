// SMTP reply parser for the outbound client. Input comes from remote servers: bounded and
// never trusted.

#include "smtpd/queue/reply_parser.hpp"

#include <utility>

#include "smtpd/proto/ascii.hpp"

namespace govmail::smtp {

namespace {

constexpr MalformedReply kBadCode{"reply line without a valid reply code"};
constexpr MalformedReply kCodeChanged{"reply lines with different codes"};
constexpr MalformedReply kTooManyLines{"reply with too many lines"};
constexpr MalformedReply kLineTooLong{"reply line too long"};
// RFC 5321 4.2: reply text is HT and printable characters; a CR would split the one-line
// summary that logs, the queue and DSNs show.
constexpr MalformedReply kBareCr{"reply line with a bare CR"};

// RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39.
int reply_code(std::string_view line) {
    if (line.size() < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '5' ||
        !ascii::is_digit(line[2])) {
        return 0;
    }
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

bool is_status_number(std::string_view digits, std::size_t max) {
    std::uint64_t ignored = 0;
    return ascii::parse_decimal(digits, max, ignored);
}

}  // namespace

std::string Reply::enhanced() const {
    if (lines.empty()) {
        return {};
    }
    // RFC 3463: class "." subject "." detail, class 2, 4 or 5 and matching the reply.
    const std::string_view text = lines.front();
    const std::string_view status = text.substr(0, text.find(' '));
    const auto first_dot = status.find('.');
    const auto second_dot = status.find('.', first_dot + 1);
    if (status.size() < 5 || status.front() != static_cast<char>('0' + kind()) || first_dot != 1 ||
        second_dot == std::string_view::npos ||
        !is_status_number(status.substr(2, second_dot - 2), 3) ||
        !is_status_number(status.substr(second_dot + 1), 3)) {
        return {};
    }
    return std::string(status);
}

std::string Reply::summary() const {
    std::string out = std::to_string(code);
    for (const auto& line : lines) {
        if (!line.empty()) {
            out.append(" ").append(line);
        }
    }
    return out;
}

ReplyParser::ReplyParser() : lines_(kMaxReceivedReplyLine, BareLineEnd::Normalize) {}

ReplyResult ReplyParser::read(std::string_view& input) {
    for (;;) {
        auto result = lines_.read(input);
        if (std::holds_alternative<NeedMore>(result)) {
            return NeedMore{};
        }
        if (std::holds_alternative<Error>(result)) {
            return kLineTooLong;
        }
        const std::string_view line = std::get<Line>(result).text;
        const int code = reply_code(line);
        const char separator = line.size() > 3 ? line[3] : ' ';
        if (code == 0 || (separator != ' ' && separator != '-')) {
            return kBadCode;
        }
        if (line.find('\r') != std::string_view::npos) {
            return kBareCr;
        }
        if (!partial_.lines.empty() && code != partial_.code) {
            return kCodeChanged;
        }
        if (partial_.lines.size() == kMaxReplyLines) {
            return kTooManyLines;
        }
        partial_.code = code;
        partial_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
        if (separator == ' ') {
            return std::exchange(partial_, Reply{});
        }
    }
}

}  // namespace govmail::smtp
