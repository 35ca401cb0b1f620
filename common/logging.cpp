#include "common/logging.hpp"

#include <spdlog/spdlog.h>

#include "common/hex.hpp"

namespace govmail {

void init_logging(std::string_view level) {
    spdlog::set_level(spdlog::level::from_str(std::string(level)));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
}

std::string printable(std::string_view s, std::size_t max) {
    std::string out;
    const auto n = s.size() < max ? s.size() : max;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out.push_back(static_cast<char>(c));
        } else {
            out += "\\x";
            out += kHexDigits[c >> 4];
            out += kHexDigits[c & 0x0f];
        }
    }
    if (n < s.size()) {
        out += "...";
    }
    return out;
}

}  // namespace govmail
