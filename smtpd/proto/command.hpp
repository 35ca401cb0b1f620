#pragma once

// The typed SMTP commands (RFC 5321 section 4.1.1, RFC 3030 BDAT, RFC 3207 STARTTLS,
// RFC 4954 AUTH): one struct per command, as the command parser produces them.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "smtpd/proto/address.hpp"
#include "smtpd/proto/esmtp_params.hpp"

namespace govmail::smtp {

// HELO and EHLO carry the client's name as sent: one word, not checked against the RFC 5321
// Domain syntax, because many real clients send invalid names (Postfix accepts them too).
// The session may apply is_domain / is_address_literal as policy.
struct Helo {
    std::string domain;
    friend bool operator==(const Helo&, const Helo&) = default;
};

struct Ehlo {
    std::string domain;
    friend bool operator==(const Ehlo&, const Ehlo&) = default;
};

struct MailFrom {
    std::optional<Mailbox> sender;  // empty for the null reverse-path "<>"
    MailParameters params;
    friend bool operator==(const MailFrom&, const MailFrom&) = default;
};

struct RcptTo {
    Mailbox recipient;
    RcptParameters params;
    friend bool operator==(const RcptTo&, const RcptTo&) = default;
};

struct Data {
    friend bool operator==(const Data&, const Data&) = default;
};

struct Bdat {
    std::uint64_t size;  // chunk size in octets
    bool last;
    friend bool operator==(const Bdat&, const Bdat&) = default;
};

struct Rset {
    friend bool operator==(const Rset&, const Rset&) = default;
};

struct Noop {
    friend bool operator==(const Noop&, const Noop&) = default;
};

struct Vrfy {
    std::string argument;
    friend bool operator==(const Vrfy&, const Vrfy&) = default;
};

struct Expn {
    std::string argument;
    friend bool operator==(const Expn&, const Expn&) = default;
};

struct Help {
    std::optional<std::string> topic;
    friend bool operator==(const Help&, const Help&) = default;
};

struct Quit {
    friend bool operator==(const Quit&, const Quit&) = default;
};

struct StartTls {
    friend bool operator==(const StartTls&, const StartTls&) = default;
};

struct Auth {
    std::string mechanism;  // upper-cased
    // As sent, still base64 ("=" for an empty response); decode with decode_initial_response.
    std::optional<std::string> initial_response;
    friend bool operator==(const Auth&, const Auth&) = default;
};

using Command = std::variant<
    Helo,
    Ehlo,
    MailFrom,
    RcptTo,
    Data,
    Bdat,
    Rset,
    Noop,
    Vrfy,
    Expn,
    Help,
    Quit,
    StartTls,
    Auth>;

}  // namespace govmail::smtp
