// RFC 5321 4.1.2 path parser with RFC 6531 UTF-8. Talks to untrusted clients: it reads each
// byte at most once, bounds-checks every access and allocates only the result.

#include "smtpd/proto/address.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>

#include "smtpd/proto/ascii.hpp"
#include "common/utf8.hpp"

namespace govmail::smtp {

namespace {

constexpr std::size_t kMaxLabel = 63;  // RFC 1035 section 2.3.4

// atext of RFC 5321 plus UTF8-non-ascii of RFC 6531.
constexpr bool is_atext(char c) { return ascii::is_atext(c) || ascii::is_non_ascii(c); }

// qtextSMTP of RFC 5321 plus UTF8-non-ascii of RFC 6531.
constexpr bool is_qtext(char c) {
    return (c >= 32 && c <= 126 && c != '"' && c != '\\') || ascii::is_non_ascii(c);
}

constexpr bool is_domain_char(char c) {
    return ascii::is_alnum(c) || ascii::is_non_ascii(c) || c == '-' || c == '.';
}

bool is_ipv4(std::string_view text) {
    std::size_t octets = 0;
    while (true) {
        const std::size_t dot = text.find('.');
        std::uint64_t value = 0;
        if (!ascii::parse_decimal(text.substr(0, dot), 3, value) || value > 255) {
            return false;
        }
        ++octets;
        if (dot == std::string_view::npos) {
            return octets == 4;
        }
        text.remove_prefix(dot + 1);
    }
}

bool is_ipv6(std::string_view text) {
    constexpr std::size_t kMaxText = 45;  // INET6_ADDRSTRLEN - 1
    if (text.empty() || text.size() > kMaxText) {
        return false;
    }
    std::array<char, kMaxText + 1> terminated{};
    text.copy(terminated.data(), text.size());
    std::array<unsigned char, 16> address{};
    return inet_pton(AF_INET6, terminated.data(), address.data()) == 1;
}

// Walks a path left to right. Each parse_* method consumes its element or returns false.
class PathScanner {
public:
    explicit PathScanner(std::string_view text) : text_(text) {}

    std::size_t position() const { return pos_; }
    bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

    bool take(char c) {
        if (!at(c)) {
            return false;
        }
        ++pos_;
        return true;
    }

    // A-d-l ":" of RFC 5321: "@" Domain *( "," "@" Domain ) ":".
    bool skip_source_route() {
        do {
            if (!take('@') || !is_domain(take_while(is_domain_char), true)) {
                return false;
            }
        } while (take(','));
        return take(':');
    }

    // Dot-string or Quoted-string; returns the text as received.
    std::optional<std::string_view> parse_local_part() {
        const std::size_t start = pos_;
        const bool ok = at('"') ? skip_quoted_string() : skip_dot_string();
        if (!ok) {
            return std::nullopt;
        }
        return text_.substr(start, pos_ - start);
    }

    // Domain or address-literal.
    std::optional<std::string_view> parse_domain() {
        if (at('[')) {
            const std::size_t close = text_.find(']', pos_);
            if (close == std::string_view::npos) {
                return std::nullopt;
            }
            const std::string_view literal = text_.substr(pos_, close + 1 - pos_);
            pos_ = close + 1;
            return is_address_literal(literal) ? std::optional{literal} : std::nullopt;
        }
        const std::string_view name = take_while(is_domain_char);
        return is_domain(name, true) ? std::optional{name} : std::nullopt;
    }

private:
    std::string_view take_while(bool (*predicate)(char)) {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && predicate(text_[pos_])) {
            ++pos_;
        }
        return text_.substr(start, pos_ - start);
    }

    bool skip_dot_string() {
        do {
            if (take_while(is_atext).empty()) {
                return false;
            }
        } while (take('.'));
        return true;
    }

    bool skip_quoted_string() {
        take('"');
        while (pos_ < text_.size()) {
            const char c = text_[pos_++];
            if (c == '"') {
                return true;
            }
            const bool escaped_ok =
                c == '\\' && pos_ < text_.size() && text_[pos_] >= 32 && text_[pos_] <= 126;
            if (escaped_ok) {
                ++pos_;
            } else if (!is_qtext(c)) {
                return false;
            }
        }
        return false;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

Error bad_syntax(PathKind kind) {
    return {
        ErrorKind::Syntax, 501, kind == PathKind::Reverse ? "5.1.7" : "5.1.3",
        "Bad address syntax"};
}

Error too_long(PathKind kind) {
    return {
        ErrorKind::Limit, 501, kind == PathKind::Reverse ? "5.1.7" : "5.1.3", "Address too long"};
}

bool has_non_ascii(std::string_view text) {
    for (char c : text) {
        if (ascii::is_non_ascii(c)) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string Mailbox::to_string() const {
    if (domain.empty()) {
        return local_part;
    }
    std::string address;
    address.reserve(local_part.size() + 1 + domain.size());
    address.append(local_part).append(1, '@').append(domain);
    return address;
}

std::variant<ParsedPath, Error> parse_path(std::string_view text, PathKind kind) {
    PathScanner scan(text);
    if (!scan.take('<')) {
        return bad_syntax(kind);
    }
    if (kind == PathKind::Reverse && scan.take('>')) {
        return ParsedPath{std::nullopt, scan.position(), false};
    }
    if (scan.at('@') && !scan.skip_source_route()) {
        return bad_syntax(kind);
    }
    const std::optional<std::string_view> local = scan.parse_local_part();
    if (!local) {
        return bad_syntax(kind);
    }
    std::string_view domain;
    const bool postmaster =
        kind == PathKind::Forward && scan.at('>') && ascii::iequals(*local, "postmaster");
    if (!postmaster) {
        const std::optional<std::string_view> parsed_domain =
            scan.take('@') ? scan.parse_domain() : std::nullopt;
        if (!parsed_domain) {
            return bad_syntax(kind);
        }
        domain = *parsed_domain;
    }
    if (!scan.take('>')) {
        return bad_syntax(kind);
    }
    const std::string_view path = text.substr(0, scan.position());
    if (local->size() > kMaxLocalPart || domain.size() > kMaxDomain || path.size() > kMaxPath) {
        return too_long(kind);
    }
    if (!is_valid_utf8(path)) {
        return bad_syntax(kind);
    }
    return ParsedPath{
        Mailbox{std::string(*local), std::string(domain)},
        path.size(),
        has_non_ascii(*local) || has_non_ascii(domain),
    };
}

bool is_domain(std::string_view name, bool allow_utf8) {
    if (name.empty() || name.size() > kMaxDomain) {
        return false;
    }
    const auto is_let_dig = [allow_utf8](char c) {
        return ascii::is_alnum(c) || (allow_utf8 && ascii::is_non_ascii(c));
    };
    while (true) {
        const std::size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > kMaxLabel || !is_let_dig(label.front()) ||
            !is_let_dig(label.back())) {
            return false;
        }
        for (char c : label) {
            if (!is_let_dig(c) && c != '-') {
                return false;
            }
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        name.remove_prefix(dot + 1);
    }
}

bool is_address_literal(std::string_view literal) {
    if (literal.size() < 2 || literal.size() > kMaxDomain || literal.front() != '[' ||
        literal.back() != ']') {
        return false;
    }
    const std::string_view inner = literal.substr(1, literal.size() - 2);
    constexpr std::string_view kIpv6Tag = "IPv6:";
    if (ascii::istarts_with(inner, kIpv6Tag)) {
        return is_ipv6(inner.substr(kIpv6Tag.size()));
    }
    return is_ipv4(inner);
}

}  // namespace govmail::smtp
