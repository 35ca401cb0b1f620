#pragma once

// Decoding helpers for the SMTP AUTH exchange (RFC 4954) and the PLAIN mechanism (RFC 4616).
// Input is untrusted and may carry secrets: errors are fixed texts that never include it.

#include <string>
#include <string_view>
#include <variant>

#include "auth/sasl_messages.hpp"
#include "smtpd/proto/error.hpp"

namespace govmail::smtp {

// Strict RFC 4648 section 4 base64: length a multiple of 4, correct "=" padding, zero pad
// bits, no whitespace. Errors are 501 5.5.2.
std::variant<std::string, Error> decode_base64(std::string_view text);

// A client response line in the AUTH exchange: "*" cancels (501 5.0.0, RFC 4954 section 4),
// anything else must be base64 (an empty line is an empty response).
std::variant<std::string, Error> decode_sasl_response(std::string_view line);

// The initial-response argument of AUTH: "=" is an empty response (RFC 4954 section 4),
// anything else must be base64.
std::variant<std::string, Error> decode_initial_response(std::string_view argument);

using auth::PlainCredentials;

// RFC 4616 message = [authzid] NUL authcid NUL passwd: exactly two NULs, authcid and passwd
// non-empty, each part at most 255 octets (the minimum RFC 4616 requires servers to accept) of
// valid UTF-8. Errors are 501 5.5.2.
std::variant<PlainCredentials, Error> parse_plain(std::string_view message);

}  // namespace govmail::smtp
