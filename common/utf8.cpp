// UTF-8 well-formedness check, following the table in RFC 3629 section 4. Input is untrusted
// client bytes; the check reads each byte once and never reads past the end.

#include "common/utf8.hpp"

#include <cstdint>
#include <cstring>

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

// How many bytes from FROM on are US-ASCII, eight at a time while no byte has its high bit
// set: most mail is ASCII, and a byte at a time made this check a tenth of smtpd's work on
// a 100 KiB message.
std::size_t ascii_run(std::string_view text, std::size_t from) {
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    std::size_t i = from;
    for (std::uint64_t word = 0; text.size() - i >= sizeof word; i += sizeof word) {
        std::memcpy(&word, text.data() + i, sizeof word);
        if ((word & kHighBits) != 0) {
            break;
        }
    }
    while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) {
        ++i;
    }
    return i - from;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        i += ascii_run(text, i);
        if (i == text.size()) {
            break;
        }
        const auto lead = static_cast<unsigned char>(text[i]);
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

bool is_ascii(std::string_view text) { return ascii_run(text, 0) == text.size(); }

}  // namespace govmail
