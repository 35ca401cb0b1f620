#include "common/names.hpp"

#include "common/ascii.hpp"
#include "common/utf8.hpp"

namespace govmail {

bool has_control_characters(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7f) {
            return true;
        }
        // U+0080-U+009F are encoded as C2 80 - C2 9F.
        if (byte == 0xc2 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9f) {
                return true;
            }
        }
    }
    return false;
}

std::string fold_case(std::string_view text) { return ascii::lower(text); }

std::optional<std::string> canonical_login_name(std::string_view given) {
    if (given.empty() || given.size() > kMaxLoginNameBytes || !is_valid_utf8(given) ||
        has_control_characters(given)) {
        return std::nullopt;
    }
    return fold_case(given);
}

}  // namespace govmail
