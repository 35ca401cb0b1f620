#include "mime/transfer_encoding.hpp"

#include <mimetic/codec/base64.h>
#include <mimetic/codec/code.h>
#include <mimetic/codec/qp.h>

#include <iterator>

#include "mime/ascii.hpp"

namespace govmail::mime {
namespace {

constexpr bool is_base64_digit(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

}  // namespace

std::string decode_base64(std::string_view encoded) {
    // Only the alphabet reaches mimetic: its decoder table lookup reads one entry past the
    // end for '|' (0x7C), and it turns padding that starts a group into a garbage byte.
    std::string clean;
    clean.reserve(encoded.size());
    for (const char c : encoded) {
        if (is_base64_digit(c) || (c == '=' && clean.size() % 4 >= 2)) {
            clean += c;
        }
    }
    std::string out;
    out.reserve(clean.size() / 4 * 3 + 3);
    mimetic::Base64::Decoder decoder;
    mimetic::decode(clean.begin(), clean.end(), decoder, std::back_inserter(out));
    return out;
}

std::string transfer_decode(std::string_view body, std::string_view encoding) {
    const std::string name = lower(trim(encoding));
    if (name == "base64") {
        return decode_base64(body);
    }
    if (name == "quoted-printable") {
        std::string out;
        out.reserve(body.size());
        mimetic::QP::Decoder decoder;
        mimetic::decode(body.begin(), body.end(), decoder, std::back_inserter(out));
        return out;
    }
    return std::string(body);
}

bool is_known_transfer_encoding(std::string_view encoding) {
    const std::string name = lower(trim(encoding));
    return name.empty() || name == "7bit" || name == "8bit" || name == "binary" ||
           name == "base64" || name == "quoted-printable";
}

}  // namespace govmail::mime
