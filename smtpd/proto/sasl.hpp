#pragma once

// Decoding helpers for the SMTP AUTH exchange (RFC 4954); the mechanisms are auth::SaslServer's.
// Input is untrusted and may carry secrets: errors are fixed texts that never include it.

#include <string>
#include <string_view>
#include <variant>

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

}  // namespace govmail::smtp
