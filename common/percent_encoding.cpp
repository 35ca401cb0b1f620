#include "common/percent_encoding.hpp"

#include "common/hex.hpp"

namespace govmail {

std::string percent_encode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += kUpperHexDigits[byte >> 4];
            out += kUpperHexDigits[byte & 0x0f];
        }
    }
    return out;
}

}  // namespace govmail
