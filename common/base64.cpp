#include "common/base64.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace govmail {
namespace {

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

std::optional<std::string> decode_base64_strict(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    const std::size_t padding = text.ends_with("==") ? 2 : (text.ends_with('=') ? 1 : 0);
    std::string decoded;
    decoded.reserve(text.size() / 4 * 3);
    std::uint32_t bits = 0;
    for (std::size_t i = 0; i < text.size() - padding; ++i) {
        const int value = sextet(text[i]);
        if (value == kNotBase64) {
            return std::nullopt;  // also "=" anywhere but in the final padding
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
            return std::nullopt;
        }
        decoded.push_back(static_cast<char>((bits >> 10) & 0xFF));
        decoded.push_back(static_cast<char>((bits >> 2) & 0xFF));
    } else if (padding == 2) {
        if ((bits & 0xF) != 0) {
            return std::nullopt;
        }
        decoded.push_back(static_cast<char>((bits >> 4) & 0xFF));
    }
    return decoded;
}

std::string encode_base64(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(out.data()),
        reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size())
    );
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string encode_base64_lines(std::string_view data) {
    constexpr std::size_t kLineLength = 76;
    const std::string encoded = encode_base64(data);
    std::string out;
    out.reserve(encoded.size() + encoded.size() / kLineLength * 2 + 2);
    for (std::size_t i = 0; i < encoded.size(); i += kLineLength) {
        out.append(encoded, i, kLineLength).append("\r\n");
    }
    return out;
}

}  // namespace govmail
