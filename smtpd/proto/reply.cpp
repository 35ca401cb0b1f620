// SMTP reply formatter. Text is sanitised here, once, so no caller can inject reply lines.

#include "smtpd/proto/reply.hpp"

#include <cassert>

namespace govmail::smtp {

namespace {

constexpr std::size_t kCodeWidth = 3;

char sanitise(char c) {
    if (c == '\r' || c == '\n') {
        return ' ';
    }
    const bool printable = (c >= 32 && c <= 126) || c == '\t';
    return printable ? c : '?';
}

void append_line(
    std::string& reply, int code, char separator, std::string_view enhanced, std::string_view text
) {
    reply.append(std::to_string(code)).push_back(separator);
    reply.append(enhanced);
    if (!enhanced.empty() && !text.empty()) {
        reply.push_back(' ');
    }
    for (char c : text) {
        reply.push_back(sanitise(c));
    }
    if (reply.back() == ' ' && text.empty()) {
        reply.pop_back();  // "250 " with nothing after it becomes "250"
    }
    reply.append("\r\n");
}

// Splits `text` into pieces of at most `width` octets, at the last space that fits if any.
std::vector<std::string_view> wrap(std::string_view text, std::size_t width) {
    std::vector<std::string_view> pieces;
    while (text.size() > width) {
        const std::size_t space = text.rfind(' ', width);
        const std::size_t cut = space == std::string_view::npos || space == 0 ? width : space;
        pieces.push_back(text.substr(0, cut));
        text.remove_prefix(cut);
        if (!text.empty() && text.front() == ' ') {
            text.remove_prefix(1);
        }
    }
    pieces.push_back(text);
    return pieces;
}

}  // namespace

std::string format_reply(
    int code, std::string_view enhanced, std::span<const std::string_view> lines
) {
    assert(code >= 200 && code <= 599);
    assert(code != 334 && "AUTH challenges are written by format_sasl_challenge");
    // code, separator, enhanced code and its space, CRLF
    const std::size_t overhead = kCodeWidth + 1 + enhanced.size() + 1 + 2;
    assert(overhead < kMaxReplyLine);
    const std::size_t width = kMaxReplyLine - overhead;

    std::vector<std::string_view> pieces;
    for (std::string_view line : lines) {
        const std::vector<std::string_view> wrapped = wrap(line, width);
        pieces.insert(pieces.end(), wrapped.begin(), wrapped.end());
    }
    if (pieces.empty()) {
        pieces.emplace_back();
    }
    std::string reply;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const char separator = i + 1 < pieces.size() ? '-' : ' ';
        append_line(reply, code, separator, enhanced, pieces[i]);
    }
    return reply;
}

std::string format_reply(int code, std::string_view enhanced, std::string_view text) {
    return format_reply(code, enhanced, std::span<const std::string_view>(&text, 1));
}

std::string format_sasl_challenge(std::string_view base64) {
    std::string reply("334 ");
    reply.append(base64).append("\r\n");
    return reply;
}

std::string format_ehlo_reply(std::string_view server_name, const EhloCapabilities& capabilities) {
    std::vector<std::string> lines{std::string(server_name)};
    const auto offer = [&lines](bool enabled, std::string_view keyword) {
        if (enabled) {
            lines.emplace_back(keyword);
        }
    };
    offer(capabilities.pipelining, "PIPELINING");
    if (capabilities.size) {
        lines.push_back("SIZE " + std::to_string(*capabilities.size));
    }
    offer(capabilities.eight_bit_mime, "8BITMIME");
    offer(capabilities.chunking, "CHUNKING");
    offer(capabilities.binary_mime, "BINARYMIME");
    offer(capabilities.smtputf8, "SMTPUTF8");
    offer(capabilities.dsn, "DSN");
    offer(capabilities.enhanced_status_codes, "ENHANCEDSTATUSCODES");
    offer(capabilities.starttls, "STARTTLS");
    if (!capabilities.auth_mechanisms.empty()) {
        std::string auth = "AUTH";
        for (const std::string& mechanism : capabilities.auth_mechanisms) {
            auth.append(" ").append(mechanism);
        }
        lines.push_back(std::move(auth));
    }
    const std::vector<std::string_view> views(lines.begin(), lines.end());
    return format_reply(250, "", views);
}

}  // namespace govmail::smtp
