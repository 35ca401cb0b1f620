#include "common/hex.hpp"

namespace govmail {
namespace {

std::string hex_with(std::string_view digits, std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(digits[byte >> 4]);
        out.push_back(digits[byte & 0x0f]);
    }
    return out;
}

}  // namespace

std::string hex(std::string_view bytes) { return hex_with(kHexDigits, bytes); }

std::string upper_hex(std::string_view bytes) { return hex_with(kUpperHexDigits, bytes); }

}  // namespace govmail
