// UTF-8 well-formedness check, following the table in RFC 3629 section 4. Input is untrusted
// client bytes; the check reads each byte once and never reads past the end.

#include "common/utf8.hpp"

#include <algorithm>

namespace govmail {

namespace {

// The allowed range of the second byte depends on the lead byte (RFC 3629 section 4);
// the remaining continuation bytes are always 0x80..0xBF.
struct Sequence {
    int length;
    unsigned char second_min;
    unsigned char second_max;
};

constexpr Sequence kInvalid{0, 0, 0};

constexpr Sequence sequence_for(unsigned char lead) {
    if (lead >= 0xC2 && lead <= 0xDF) {
        return {2, 0x80, 0xBF};
    }
    if (lead == 0xE0) {
        return {3, 0xA0, 0xBF};
    }
    if (lead == 0xED) {
        return {3, 0x80, 0x9F};
    }
    if (lead >= 0xE1 && lead <= 0xEF) {
        return {3, 0x80, 0xBF};
    }
    if (lead == 0xF0) {
        return {4, 0x90, 0xBF};
    }
    if (lead >= 0xF1 && lead <= 0xF3) {
        return {4, 0x80, 0xBF};
    }
    if (lead == 0xF4) {
        return {4, 0x80, 0x8F};
    }
    return kInvalid;
}

constexpr bool in_range(unsigned char byte, unsigned char low, unsigned char high) {
    return byte >= low && byte <= high;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        const Sequence seq = sequence_for(lead);
        const auto length = static_cast<std::size_t>(seq.length);
        if (length == 0 || text.size() - i < length) {
            return false;
        }
        if (!in_range(static_cast<unsigned char>(text[i + 1]), seq.second_min, seq.second_max)) {
            return false;
        }
        for (std::size_t k = 2; k < length; ++k) {
            if (!in_range(static_cast<unsigned char>(text[i + k]), 0x80, 0xBF)) {
                return false;
            }
        }
        i += length;
    }
    return true;
}

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x80;
    });
}

}  // namespace govmail
