#pragma once

// Reverse- and forward-path syntax of RFC 5321 section 4.1.2, with the RFC 6531 (SMTPUTF8)
// extension: UTF-8 in local parts and domains. Parses untrusted client input; never throws.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "smtpd/proto/error.hpp"

namespace govmail::smtp {

// RFC 5321 section 4.5.3.1.1 to 4.5.3.1.3.
inline constexpr std::size_t kMaxLocalPart = 64;
inline constexpr std::size_t kMaxDomain = 255;
inline constexpr std::size_t kMaxPath = 256;  // as received, from "<" to ">" inclusive

struct Mailbox {
    // As received: a Dot-string, or a Quoted-string with its quotes and backslashes.
    std::string local_part;
    // A domain as received (not case-folded, U-labels kept), or an address literal with its
    // brackets ("[192.0.2.1]", "[IPv6:2001:db8::1]"). Empty only for RCPT TO:<Postmaster>.
    std::string domain;

    // local-part "@" domain, or just the local part for <Postmaster>.
    std::string to_string() const;

    friend bool operator==(const Mailbox&, const Mailbox&) = default;
};

enum class PathKind {
    Reverse,  // MAIL FROM: "<>" (the null sender) is allowed
    Forward,  // RCPT TO: "<Postmaster>" without a domain is allowed
};

struct ParsedPath {
    std::optional<Mailbox> mailbox;  // empty for the null reverse-path "<>"
    std::size_t length = 0;          // bytes of input the path took, "<" to ">" inclusive
    bool has_utf8 = false;           // non-ASCII (valid UTF-8) present: needs SMTPUTF8
};

// Parses the path at the start of `text`, which must begin with "<"; text after the closing ">"
// is left to the caller. A source route ("<@a,@b:user@d>", RFC 5321 appendix C) is accepted and
// dropped. Errors are 501 with 5.1.7 (reverse-path) or 5.1.3 (forward-path).
std::variant<ParsedPath, Error> parse_path(std::string_view text, PathKind kind);

// RFC 5321 Domain: dot-separated labels of letters, digits and inner hyphens, each at most 63
// octets, at most 255 in all. With allow_utf8, non-ASCII bytes count as letters (RFC 6531
// U-labels; UTF-8 well-formedness is checked separately).
bool is_domain(std::string_view name, bool allow_utf8 = false);

// RFC 5321 address-literal with its brackets: "[IPv4]" or "[IPv6:...]". General address
// literals are rejected: no standardized tag other than IPv6 exists.
bool is_address_literal(std::string_view literal);

}  // namespace govmail::smtp
