#include "mime/charset.hpp"

#include "common/utf8.hpp"

#include <iconv.h>

#include <array>
#include <cerrno>

#include "mime/ascii.hpp"

namespace govmail::mime {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Labels glibc does not know, or knows as a narrower charset than the one mail really uses.
std::string iconv_name(std::string_view charset) {
    const std::string name = lower(trim(charset));
    if (name == "ks_c_5601-1987" || name == "ks_c_5601" || name == "ksc5601" ||
        name == "ksc_5601" || name == "euc-kr" || name == "euckr" || name == "x-windows-949" ||
        name == "windows-949" || name == "uhc") {
        return "CP949";
    }
    return name;
}

// Owns an iconv descriptor; an invalid one means glibc does not know the charset.
class Converter {
public:
    explicit Converter(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {}
    Converter(const Converter&) = delete;
    Converter& operator=(const Converter&) = delete;
    ~Converter() {
        if (valid()) {
            iconv_close(cd_);
        }
    }

    bool valid() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

    // Converts all of `text`, replacing each undecodable byte (or truncated sequence) by U+FFFD.
    std::string convert(std::string_view text) {
        std::string out;
        out.reserve(text.size() * 3 / 2);
        std::array<char, 4096> buffer{};
        // iconv's interface takes a non-const input pointer but does not write through it.
        char* in = const_cast<char*>(text.data());
        std::size_t in_left = text.size();
        while (in_left > 0) {
            char* dest = buffer.data();
            std::size_t dest_left = buffer.size();
            const std::size_t done = iconv(cd_, &in, &in_left, &dest, &dest_left);
            const int error = errno;
            out.append(buffer.data(), buffer.size() - dest_left);
            if (done != static_cast<std::size_t>(-1) || error == E2BIG) {
                continue;
            }
            out += kReplacement;
            ++in;
            --in_left;
            iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // back to the initial shift state
        }
        char* dest = buffer.data();
        std::size_t dest_left = buffer.size();
        iconv(cd_, nullptr, nullptr, &dest, &dest_left);
        out.append(buffer.data(), buffer.size() - dest_left);
        return out;
    }

private:
    iconv_t cd_;
};

// Length of the UTF-8 sequence starting at text[pos], or 0 when it is malformed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
    unsigned char min_second = 0x80;
    unsigned char max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        min_second = lead == 0xE0 ? 0xA0 : 0x80;
        max_second = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        min_second = lead == 0xF0 ? 0x90 : 0x80;
        max_second = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (pos + length > text.size() || byte(1) < min_second || byte(1) > max_second) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) {
            return 0;
        }
    }
    return length;
}

// Valid UTF-8 sequences kept, every other byte replaced by U+FFFD.
std::string repair_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t length = utf8_sequence_length(text, pos);
        if (length == 0) {
            out += kReplacement;
            ++pos;
            continue;
        }
        out += text.substr(pos, length);
        pos += length;
    }
    return out;
}

}  // namespace

std::string undeclared_to_utf8(std::string_view text) {
    if (is_valid_utf8(text)) {
        return std::string(text);
    }
    Converter cp949("CP949");
    return cp949.valid() ? cp949.convert(text) : repair_utf8(text);
}

std::string to_utf8(std::string_view text, std::string_view charset) {
    const std::string name = iconv_name(charset);
    if (name == "utf-8" || name == "utf8") {
        return repair_utf8(text);
    }
    if (name.empty() || name == "us-ascii") {
        return undeclared_to_utf8(text);
    }
    Converter converter(name);
    if (!converter.valid()) {
        return undeclared_to_utf8(text);
    }
    return converter.convert(text);
}

}  // namespace govmail::mime
