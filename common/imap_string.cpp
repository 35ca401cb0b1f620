#include "common/imap_string.hpp"

#include <algorithm>

namespace govmail {
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

// RFC 3501 CHAR8 excludes NUL: no IMAP string, literals included, may carry one (only BINARY's
// literal8 may). A NUL in a header reaches ENVELOPE and BODYSTRUCTURE as U+FFFD instead, as
// Dovecot replaces NULs in headers.
constexpr std::string_view kNulReplacement = "\xEF\xBF\xBD";

void append_literal(std::string& out, std::string_view text) {
    const auto nuls = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\0'));
    out += '{';
    out += std::to_string(text.size() + nuls * (kNulReplacement.size() - 1));
    out += "}\r\n";
    for (const char c : text) {
        if (c == '\0') {
            out += kNulReplacement;
        } else {
            out += c;
        }
    }
}

}  // namespace

void append_imap_string(std::string& out, std::string_view text) {
    if (!fits_quoted(text)) {
        append_literal(out, text);
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

}  // namespace govmail
