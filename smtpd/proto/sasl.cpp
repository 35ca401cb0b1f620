// SASL decoding for AUTH. Talks to untrusted clients and handles passwords: nothing decoded
// here is logged or echoed.

#include "smtpd/proto/sasl.hpp"

#include "common/base64.hpp"

namespace govmail::smtp {

namespace {

constexpr Error kBadBase64{ErrorKind::Syntax, 501, "5.5.2", "Invalid base64 data"};
constexpr Error kCancelled{ErrorKind::Cancelled, 501, "5.0.0", "Authentication cancelled"};

}  // namespace

std::variant<std::string, Error> decode_base64(std::string_view text) {
    auto decoded = decode_base64_strict(text);
    if (!decoded) {
        return kBadBase64;
    }
    return std::move(*decoded);
}

std::variant<std::string, Error> decode_sasl_response(std::string_view line) {
    if (line == "*") {
        return kCancelled;
    }
    return decode_base64(line);
}

std::variant<std::string, Error> decode_initial_response(std::string_view argument) {
    if (argument == "=") {
        return std::string();
    }
    return decode_base64(argument);
}

}  // namespace govmail::smtp
