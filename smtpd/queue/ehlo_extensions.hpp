#pragma once

// What a remote server's EHLO reply (RFC 5321 4.1.1.1, RFC 1869) offers, as far as the
// outbound client uses it.

#include <cstdint>
#include <optional>

#include "smtpd/queue/reply_parser.hpp"

namespace govmail::smtp {

struct EhloExtensions {
    bool starttls = false;                // RFC 3207
    bool pipelining = false;              // RFC 2920
    bool dsn = false;                     // RFC 3461
    bool eight_bit_mime = false;          // RFC 6152
    bool smtputf8 = false;                // RFC 6531
    std::optional<std::uint64_t> size{};  // RFC 1870: SIZE offered; 0 means no fixed limit

    friend bool operator==(const EhloExtensions&, const EhloExtensions&) = default;
};

// Reads the keywords of every line after the first (the greeting). Unknown keywords and
// malformed parameters are ignored.
EhloExtensions parse_ehlo_extensions(const Reply& reply);

}  // namespace govmail::smtp
