#include "mime/imap_string.hpp"

#include <algorithm>

namespace govmail::mime {
namespace {

// Longer strings go out as literals, as Dovecot does, so a client never meets a huge quoted string.
constexpr std::size_t kMaxQuotedLength = 1024;

bool fits_quoted(std::string_view text) {
    if (text.size() > kMaxQuotedLength) {
        return false;
    }
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte == '\0' || byte == '\r' || byte == '\n' || byte >= 0x80;
    });
}

}  // namespace

void append_imap_string(std::string& out, std::string_view text) {
    if (!fits_quoted(text)) {
        out += '{';
        out += std::to_string(text.size());
        out += "}\r\n";
        out += text;
        return;
    }
    out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '"';
}

void append_imap_nstring(std::string& out, std::optional<std::string_view> text) {
    if (!text) {
        out += "NIL";
        return;
    }
    append_imap_string(out, *text);
}

std::string imap_string(std::string_view text) {
    std::string out;
    append_imap_string(out, text);
    return out;
}

std::string imap_nstring(std::optional<std::string_view> text) {
    std::string out;
    append_imap_nstring(out, text);
    return out;
}

}  // namespace govmail::mime
