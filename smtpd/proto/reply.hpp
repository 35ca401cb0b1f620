#pragma once

// SMTP reply formatting (RFC 5321 section 4.2, RFC 2034 enhanced status codes) and the EHLO
// capability list. Reply text may come from configuration or error tables; it is sanitised so
// no CR/LF can be injected, and every line, CRLF included, stays within 512 octets
// (RFC 5321 4.5.3.1.5).

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::smtp {

inline constexpr std::size_t kMaxReplyLine = 512;

// One reply line per element of `lines`: "250-2.1.0 first", ..., "250 2.1.0 last". Each line
// carries `enhanced` (omitted when empty). CR and LF in a text become spaces, other octets
// outside printable ASCII and HT become "?". A text too long for one line continues on the
// next, split at a space where possible. An empty `lines` gives a single line with no text.
std::string format_reply(
    int code, std::string_view enhanced, std::span<const std::string_view> lines
);

// A single-text reply, e.g. format_reply(250, "2.0.0", "OK") == "250 2.0.0 OK\r\n".
std::string format_reply(int code, std::string_view enhanced, std::string_view text);

// An AUTH challenge, RFC 4954 section 4: continue-req = "334" SP [base64] CRLF. Unlike other
// replies the space stays when the challenge is empty ("334 \r\n": clients such as msmtp refuse
// a bare "334"), and a long challenge is never wrapped onto continuation lines. `base64` is the
// encoded challenge; it is not sanitised, so it must come from the base64 encoder.
std::string format_sasl_challenge(std::string_view base64);

// What the EHLO reply advertises (RFC 1869). Advertise only what the session implements.
struct EhloCapabilities {
    bool pipelining = true;                      // RFC 2920
    std::optional<std::size_t> size{};           // RFC 1870 "SIZE n"; 0 means no fixed limit
    bool eight_bit_mime = true;                  // RFC 6152
    bool chunking = false;                       // RFC 3030
    bool binary_mime = false;                    // RFC 3030, needs chunking
    bool smtputf8 = false;                       // RFC 6531
    bool dsn = false;                            // RFC 3461
    bool enhanced_status_codes = true;           // RFC 2034
    bool starttls = false;                       // RFC 3207, only before TLS
    std::vector<std::string> auth_mechanisms{};  // RFC 4954, e.g. {"PLAIN", "XOAUTH2"}
};

// "250-<server_name>\r\n250-PIPELINING\r\n...250 <last>\r\n". EHLO lines carry no enhanced
// status code (RFC 2034 section 3 leaves them out).
std::string format_ehlo_reply(std::string_view server_name, const EhloCapabilities& capabilities);

}  // namespace govmail::smtp
