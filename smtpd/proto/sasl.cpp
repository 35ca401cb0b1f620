// SASL decoding for AUTH. Talks to untrusted clients and handles passwords: nothing decoded
// here is logged or echoed.

#include "smtpd/proto/sasl.hpp"

#include <array>
#include <cstdint>

#include "smtpd/proto/utf8.hpp"

namespace govmail::smtp {

namespace {

// RFC 4616 section 2 requires accepting 255 octets per part; longer parts are refused.
constexpr std::size_t kMaxPlainPart = 255;

constexpr Error kBadBase64{ErrorKind::Syntax, 501, "5.5.2", "Invalid base64 data"};
constexpr Error kCancelled{ErrorKind::Cancelled, 501, "5.0.0", "Authentication cancelled"};
constexpr Error kBadPlain{ErrorKind::Syntax, 501, "5.5.2", "Invalid PLAIN message"};

constexpr int kNotBase64 = -1;

constexpr std::array<int, 256> make_decode_table() {
    std::array<int, 256> table{};
    table.fill(kNotBase64);
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    }
    return table;
}

constexpr std::array<int, 256> kDecodeTable = make_decode_table();

int sextet(char c) { return kDecodeTable[static_cast<unsigned char>(c)]; }

}  // namespace

std::variant<std::string, Error> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0) {
        return kBadBase64;
    }
    const std::size_t padding = text.ends_with("==") ? 2 : (text.ends_with('=') ? 1 : 0);
    std::string decoded;
    decoded.reserve(text.size() / 4 * 3);
    std::uint32_t bits = 0;
    for (std::size_t i = 0; i < text.size() - padding; ++i) {
        const int value = sextet(text[i]);
        if (value == kNotBase64) {
            return kBadBase64;  // also "=" anywhere but in the final padding
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        if (i % 4 == 3) {
            decoded.push_back(static_cast<char>((bits >> 16) & 0xFF));
            decoded.push_back(static_cast<char>((bits >> 8) & 0xFF));
            decoded.push_back(static_cast<char>(bits & 0xFF));
            bits = 0;
        }
    }
    // The last group holds 3 (padding 1) or 2 (padding 2) sextets; unused bits must be zero.
    if (padding == 1) {
        if ((bits & 0x3) != 0) {
            return kBadBase64;
        }
        decoded.push_back(static_cast<char>((bits >> 10) & 0xFF));
        decoded.push_back(static_cast<char>((bits >> 2) & 0xFF));
    } else if (padding == 2) {
        if ((bits & 0xF) != 0) {
            return kBadBase64;
        }
        decoded.push_back(static_cast<char>((bits >> 4) & 0xFF));
    }
    return decoded;
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

std::variant<PlainCredentials, Error> parse_plain(std::string_view message) {
    const std::size_t first = message.find('\0');
    const std::size_t second =
        first == std::string_view::npos ? first : message.find('\0', first + 1);
    if (second == std::string_view::npos ||
        message.find('\0', second + 1) != std::string_view::npos) {
        return kBadPlain;
    }
    const std::string_view authzid = message.substr(0, first);
    const std::string_view authcid = message.substr(first + 1, second - first - 1);
    const std::string_view password = message.substr(second + 1);
    for (std::string_view part : {authzid, authcid, password}) {
        if (part.size() > kMaxPlainPart || !is_valid_utf8(part)) {
            return kBadPlain;
        }
    }
    if (authcid.empty() || password.empty()) {
        return kBadPlain;
    }
    return PlainCredentials{std::string(authzid), std::string(authcid), std::string(password)};
}

}  // namespace govmail::smtp
