#pragma once

// ESMTP parameters of MAIL FROM and RCPT TO (RFC 5321 4.1.2 Mail-parameters / Rcpt-parameters):
// SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), RET/ENVID/NOTIFY/ORCPT
// (RFC 3461) and AUTH (RFC 4954). Parses untrusted client input; never throws. Keywords are
// case-insensitive; an unknown or repeated keyword is an error (555 5.5.4 / 501 5.5.4).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "smtpd/proto/error.hpp"

namespace govmail::smtp {

enum class Body { SevenBit, EightBitMime, BinaryMime };
enum class DsnReturn { Full, Headers };

struct MailParameters {
    std::optional<std::uint64_t> size{};  // SIZE=n, saturated at UINT64_MAX (then simply too big)
    std::optional<Body> body{};
    bool smtputf8 = false;
    std::optional<DsnReturn> ret{};
    std::optional<std::string> envid{};  // xtext-decoded
    std::optional<std::string> auth{};   // xtext-decoded mailbox, or "<>" for "unknown submitter"

    friend bool operator==(const MailParameters&, const MailParameters&) = default;
};

// NOTIFY=NEVER is a Notify with every flag false.
struct Notify {
    bool success = false;
    bool failure = false;
    bool delay = false;

    friend bool operator==(const Notify&, const Notify&) = default;
};

struct OriginalRecipient {
    std::string address_type;  // e.g. "rfc822" or "utf-8" (RFC 6533), as received
    std::string address;       // xtext-decoded

    friend bool operator==(const OriginalRecipient&, const OriginalRecipient&) = default;
};

struct RcptParameters {
    std::optional<Notify> notify{};
    std::optional<OriginalRecipient> orcpt{};

    friend bool operator==(const RcptParameters&, const RcptParameters&) = default;
};

// `text` is what follows the path: empty, or " " followed by SP-separated parameters.
std::variant<MailParameters, Error> parse_mail_parameters(std::string_view text);
std::variant<RcptParameters, Error> parse_rcpt_parameters(std::string_view text);

// RFC 3461 section 4 xtext: "+XX" stands for the byte 0xXX; other characters are printable
// ASCII other than "+" and "=". Returns nullopt for malformed xtext.
std::optional<std::string> decode_xtext(std::string_view xtext);

}  // namespace govmail::smtp
