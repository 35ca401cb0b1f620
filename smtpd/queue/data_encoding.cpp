#include "smtpd/queue/data_encoding.hpp"

#include <algorithm>

#include "smtpd/proto/ascii.hpp"

namespace govmail::smtp {

std::string_view without_return_path(std::string_view message) {
    if (!ascii::istarts_with(message, "Return-Path:")) {
        return message;
    }
    std::size_t end = 0;
    do {  // the field ends at a line end not followed by white space (RFC 5322 folding)
        const auto lf = message.find('\n', end);
        if (lf == std::string_view::npos) {
            return {};
        }
        end = lf + 1;
    } while (end < message.size() && (message[end] == ' ' || message[end] == '\t'));
    return message.substr(end);
}

std::string encode_data(std::string_view message) {
    std::string out;
    out.reserve(message.size() + message.size() / 64 + 5);
    bool line_start = true;
    for (std::size_t i = 0; i < message.size(); ++i) {
        const char c = message[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') {
                ++i;
            }
            out.append("\r\n");
            line_start = true;
            continue;
        }
        if (line_start && c == '.') {
            out.push_back('.');
        }
        out.push_back(c);
        line_start = false;
    }
    if (!line_start) {
        out.append("\r\n");
    }
    out.append(".\r\n");
    return out;
}

bool has_eight_bit(std::string_view message) {
    return std::any_of(message.begin(), message.end(), ascii::is_non_ascii);
}

}  // namespace govmail::smtp
