#include "imapd/proto/imap_url.hpp"

#include <limits>

#include "common/ascii.hpp"
#include "common/utf8.hpp"

namespace govmail::imap {
namespace {

// 0-15 for a hexadecimal digit, -1 for anything else.
int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    const char upper = ascii::to_upper(c);
    return upper >= 'A' && upper <= 'F' ? upper - 'A' + 10 : -1;
}

// Percent escapes decoded (RFC 3986 section 2.1); nullopt for a bad escape, a control
// character or invalid UTF-8.
std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) {
                return std::nullopt;
            }
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) {
                return std::nullopt;
            }
            c = static_cast<char>(high * 16 + low);
            i += 2;
        }
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return std::nullopt;
        }
        out += c;
    }
    if (!is_valid_utf8(out)) {
        return std::nullopt;
    }
    return out;
}

// A decimal number without sign that fits in 32 bits; nullopt otherwise.
std::optional<std::uint32_t> number(std::string_view digits) {
    if (digits.empty() || digits.size() > 10) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value > std::numeric_limits<std::uint32_t>::max()) {
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(value);
}

std::optional<std::uint32_t> nz_number(std::string_view digits) {
    const auto value = number(digits);
    if (!value || *value == 0) {
        return std::nullopt;
    }
    return value;
}

// "offset[.length]" (RFC 5092 partial-range); the length must not be 0.
std::optional<Partial> partial_range(std::string_view text) {
    const std::size_t dot = text.find('.');
    const auto offset = number(text.substr(0, dot));
    if (!offset) {
        return std::nullopt;
    }
    if (dot == std::string_view::npos) {
        return Partial{*offset, std::numeric_limits<std::uint32_t>::max()};
    }
    const auto length = nz_number(text.substr(dot + 1));
    if (!length) {
        return std::nullopt;
    }
    return Partial{*offset, *length};
}

// Takes "NAME=value" (NAME case-insensitive) off the front of TEXT up to the next "/" or the
// end; nullopt when TEXT does not start with it.
std::optional<std::string_view> take_parameter(std::string_view& text, std::string_view name) {
    if (text.size() <= name.size() || !ascii::iequals(text.substr(0, name.size()), name) ||
        text[name.size()] != '=') {
        return std::nullopt;
    }
    const std::size_t end = text.find('/');
    const auto value = text.substr(name.size() + 1, end - name.size() - 1);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end);
    return value;
}

// "imap://[user[;AUTH=...]@]host[:port]" removed from the front of URL; the user, "" when
// none is named; nullopt when malformed.
std::optional<std::string> take_server(std::string_view& url) {
    url.remove_prefix(7);  // "imap://"
    const std::size_t path = url.find('/');
    if (path == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view authority = url.substr(0, path);
    url.remove_prefix(path);
    const std::size_t at = authority.rfind('@');
    const std::string_view host =
        at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (host.empty()) {
        return std::nullopt;
    }
    if (at == std::string_view::npos) {
        return std::string();
    }
    std::string_view userinfo = authority.substr(0, at);
    userinfo = userinfo.substr(0, userinfo.find(';'));  // ";AUTH=mechanism" says nothing here
    auto user = percent_decode(userinfo);
    if (!user || user->empty()) {
        return std::nullopt;
    }
    return user;
}

}  // namespace

std::optional<ImapUrl> parse_imap_url(std::string_view url) {
    ImapUrl parsed;
    if (ascii::istarts_with(url, "imap://")) {
        auto user = take_server(url);
        if (!user) {
            return std::nullopt;
        }
        if (!user->empty()) {
            parsed.user = std::move(*user);
        }
    }
    if (url.empty() || url.front() != '/') {
        return std::nullopt;
    }
    url.remove_prefix(1);
    // enc-mailbox [";UIDVALIDITY=" n] "/;UID=" n ["/;SECTION=" s] ["/;PARTIAL=" p]
    const std::size_t end_of_mailbox = url.find_first_of(";/");
    auto mailbox = percent_decode(url.substr(0, end_of_mailbox));
    if (!mailbox || mailbox->empty() || end_of_mailbox == std::string_view::npos) {
        return std::nullopt;
    }
    parsed.mailbox = std::move(*mailbox);
    url.remove_prefix(end_of_mailbox);
    if (url.front() == ';') {
        url.remove_prefix(1);
        const auto uidvalidity = take_parameter(url, "UIDVALIDITY");
        parsed.uidvalidity = uidvalidity ? nz_number(*uidvalidity) : std::nullopt;
        if (!parsed.uidvalidity) {
            return std::nullopt;
        }
    }
    const auto next = [&url](std::string_view name) -> std::optional<std::string_view> {
        if (url.size() < 2 || url.substr(0, 2) != "/;") {
            return std::nullopt;
        }
        std::string_view rest = url.substr(2);
        auto value = take_parameter(rest, name);
        if (value) {
            url = rest;
        }
        return value;
    };
    const auto uid = next("UID");
    const auto uid_number = uid ? nz_number(*uid) : std::nullopt;
    if (!uid_number) {
        return std::nullopt;
    }
    parsed.uid = *uid_number;
    if (const auto section = next("SECTION")) {
        auto decoded = percent_decode(*section);
        if (!decoded || decoded->empty()) {
            return std::nullopt;
        }
        parsed.section = ascii::upper(*decoded);
    }
    if (const auto partial = next("PARTIAL")) {
        parsed.partial = partial_range(*partial);
        if (!parsed.partial) {
            return std::nullopt;
        }
    }
    if (!url.empty()) {
        return std::nullopt;  // URLAUTH, EXPIRE, a search or anything unknown
    }
    return parsed;
}

}  // namespace govmail::imap
