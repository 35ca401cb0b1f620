#include "imapd/proto/mutf7.hpp"

#include <cstdint>
#include <vector>

namespace govmail::imap {
namespace {

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

bool is_printable_ascii(char32_t c) { return c >= 0x20 && c <= 0x7e; }

// C0 controls (NUL among them), DEL and C1 controls: no mailbox name holds one.
bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

std::optional<int> base64_value(char c) {
    const auto position = kBase64.find(c);
    if (position == std::string_view::npos) {
        return std::nullopt;
    }
    return static_cast<int>(position);
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xc0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xe0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    }
}

// Decodes the code point at the front of `text` and removes its bytes; nullopt if malformed.
std::optional<char32_t> take_utf8(std::string_view& text) {
    const auto lead = static_cast<unsigned char>(text.front());
    std::size_t length = 0;
    char32_t c = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
        text.remove_prefix(1);
        return lead;
    }
    if ((lead & 0xe0) == 0xc0) {
        length = 2;
        c = lead & 0x1f;
        minimum = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
        length = 3;
        c = lead & 0x0f;
        minimum = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
        length = 4;
        c = lead & 0x07;
        minimum = 0x10000;
    } else {
        return std::nullopt;
    }
    if (text.size() < length) {
        return std::nullopt;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const auto continuation = static_cast<unsigned char>(text[i]);
        if ((continuation & 0xc0) != 0x80) {
            return std::nullopt;
        }
        c = (c << 6) | (continuation & 0x3f);
    }
    if (c < minimum || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return std::nullopt;
    }
    text.remove_prefix(length);
    return c;
}

// Writes UTF-16 code units as modified base64 (no padding), for one "&...-" run.
void append_base64_run(std::string& out, const std::vector<std::uint16_t>& units) {
    std::uint32_t bits = 0;
    int bit_count = 0;
    out += '&';
    for (const std::uint16_t unit : units) {
        bits = (bits << 16) | unit;
        bit_count += 16;
        while (bit_count >= 6) {
            bit_count -= 6;
            out += kBase64[(bits >> bit_count) & 0x3f];
        }
        bits &= (1u << bit_count) - 1;
    }
    if (bit_count > 0) {
        out += kBase64[(bits << (6 - bit_count)) & 0x3f];
    }
    out += '-';
}

// Turns the base64 text of one "&...-" run into code points; nullopt if it breaks a rule.
std::optional<std::string> decode_base64_run(std::string_view run) {
    std::vector<std::uint16_t> units;
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (const char c : run) {
        const auto value = base64_value(c);
        if (!value) {
            return std::nullopt;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(*value);
        bit_count += 6;
        if (bit_count >= 16) {
            bit_count -= 16;
            units.push_back(static_cast<std::uint16_t>(bits >> bit_count));
            bits &= (1u << bit_count) - 1;
        }
    }
    if (bit_count >= 6 || bits != 0 || units.empty()) {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 0; i < units.size(); ++i) {
        char32_t c = units[i];
        if (c >= 0xdc00 && c <= 0xdfff) {
            return std::nullopt;
        }
        if (c >= 0xd800 && c <= 0xdbff) {
            if (i + 1 == units.size() || units[i + 1] < 0xdc00 || units[i + 1] > 0xdfff) {
                return std::nullopt;
            }
            c = 0x10000 + ((c - 0xd800) << 10) + (units[i + 1] - 0xdc00);
            ++i;
        }
        if (is_printable_ascii(c) || is_control(c)) {
            return std::nullopt;
        }
        append_utf8(out, c);
    }
    return out;
}

// Whether the text after an "&" makes it the start of a "&...-" sequence: it goes on with "-"
// or a modified-base64 character. Any other "&" is a plain "&" (RFC 3501 section 5.1.3 has
// "&" begin a shift only into modified base64), as in a name of atom characters "a&'b".
bool starts_shift_sequence(std::string_view after) {
    return !after.empty() && (after.front() == '-' || base64_value(after.front()));
}

}  // namespace

std::optional<std::string> mutf7_encode(std::string_view utf8) {
    std::string out;
    std::vector<std::uint16_t> pending;
    while (!utf8.empty()) {
        const auto c = take_utf8(utf8);
        if (!c) {
            return std::nullopt;
        }
        if (is_printable_ascii(*c)) {
            if (!pending.empty()) {
                append_base64_run(out, pending);
                pending.clear();
            }
            out += static_cast<char>(*c);
            if (*c == '&') {
                out += '-';
            }
        } else if (*c >= 0x10000) {
            const char32_t offset = *c - 0x10000;
            pending.push_back(static_cast<std::uint16_t>(0xd800 + (offset >> 10)));
            pending.push_back(static_cast<std::uint16_t>(0xdc00 + (offset & 0x3ff)));
        } else {
            pending.push_back(static_cast<std::uint16_t>(*c));
        }
    }
    if (!pending.empty()) {
        append_base64_run(out, pending);
    }
    return out;
}

std::optional<std::string> mutf7_decode(std::string_view mutf7) {
    std::string out;
    bool previous_was_run = false;
    while (!mutf7.empty()) {
        const char c = mutf7.front();
        if (!is_printable_ascii(static_cast<unsigned char>(c))) {
            return std::nullopt;
        }
        if (c != '&' || !starts_shift_sequence(mutf7.substr(1))) {
            out += c;
            mutf7.remove_prefix(1);
            previous_was_run = false;
            continue;
        }
        const auto end = mutf7.find('-');
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        if (end == 1) {
            out += '&';
            previous_was_run = false;
        } else {
            // Two adjacent runs would have been written as one by a correct encoder.
            const auto decoded = decode_base64_run(mutf7.substr(1, end - 1));
            if (!decoded || previous_was_run) {
                return std::nullopt;
            }
            out += *decoded;
            previous_was_run = true;
        }
        mutf7.remove_prefix(end + 1);
    }
    return out;
}

}  // namespace govmail::imap
