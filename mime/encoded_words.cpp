#include "mime/encoded_words.hpp"

#include <algorithm>
#include <optional>

#include "mime/ascii.hpp"
#include "mime/charset.hpp"
#include "mime/transfer_encoding.hpp"

namespace govmail::mime {
namespace {

struct EncodedWord {
    std::string_view charset;
    std::string bytes;    // decoded, still in `charset`
    std::size_t end = 0;  // offset just past "?="
};

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    const char lowered = to_lower(c);
    return lowered >= 'a' && lowered <= 'f' ? lowered - 'a' + 10 : -1;
}

// RFC 2047 section 4.2: "_" is a space, "=XX" a byte; a malformed "=" stays as written.
std::string decode_q(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            out += ' ';
            continue;
        }
        if (text[i] == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
            hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
            continue;
        }
        out += text[i];
    }
    return out;
}

bool has_space_or_question_mark(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        return c == '?' || c == ' ' || c == '\t';
    });
}

// The encoded-word "=?charset?B|Q?text?=" starting at `pos`, if there is a well-formed one.
std::optional<EncodedWord> encoded_word_at(std::string_view text, std::size_t pos) {
    if (text.compare(pos, 2, "=?") != 0) {
        return std::nullopt;
    }
    const std::size_t charset_end = text.find('?', pos + 2);
    if (charset_end == std::string_view::npos || charset_end + 3 > text.size() ||
        text[charset_end + 2] != '?') {
        return std::nullopt;
    }
    // Stopping at the first '?' keeps the scan linear on headers full of "=?".
    const std::size_t text_end = text.find('?', charset_end + 3);
    if (text_end == std::string_view::npos || text.compare(text_end, 2, "?=") != 0) {
        return std::nullopt;
    }
    std::string_view charset = text.substr(pos + 2, charset_end - pos - 2);
    const std::string_view encoded = text.substr(charset_end + 3, text_end - charset_end - 3);
    if (charset.empty() || has_space_or_question_mark(charset) ||
        has_space_or_question_mark(encoded)) {
        return std::nullopt;
    }
    charset = charset.substr(0, charset.find('*'));  // RFC 2231 section 5: charset*language
    const char encoding = to_upper(text[charset_end + 1]);
    if (encoding == 'B') {
        return EncodedWord{charset, decode_base64(encoded), text_end + 2};
    }
    if (encoding == 'Q') {
        return EncodedWord{charset, decode_q(encoded), text_end + 2};
    }
    return std::nullopt;
}

bool is_blank(std::string_view text) { return std::all_of(text.begin(), text.end(), is_wsp); }

// Collects output: plain runs and runs of encoded-word bytes that share a charset.
class Decoder {
public:
    void add_plain(char c) { plain_ += c; }

    void add_word(EncodedWord&& word) {
        const bool joins_previous = !pending_charset_.empty() && is_blank(plain_);
        if (!joins_previous || !iequals(word.charset, pending_charset_)) {
            flush_word();
        }
        if (!joins_previous) {
            flush_plain();
        }
        plain_.clear();
        pending_charset_ = word.charset;
        pending_bytes_ += word.bytes;
    }

    std::string finish() {
        flush_word();
        flush_plain();
        return std::move(out_);
    }

private:
    void flush_word() {
        if (!pending_charset_.empty()) {
            out_ += to_utf8(pending_bytes_, pending_charset_);
        }
        pending_bytes_.clear();
        pending_charset_ = {};
    }

    void flush_plain() {
        out_ += undeclared_to_utf8(plain_);
        plain_.clear();
    }

    std::string out_;
    std::string plain_;
    std::string pending_bytes_;
    std::string_view pending_charset_;
};

}  // namespace

std::string decode_header_value(std::string_view raw_value) {
    std::string unfolded(raw_value);
    std::erase_if(unfolded, [](char c) { return c == '\r' || c == '\n'; });
    const std::string_view text = trim(unfolded);
    Decoder decoder;
    for (std::size_t pos = 0; pos < text.size();) {
        if (std::optional<EncodedWord> word = encoded_word_at(text, pos)) {
            pos = word->end;
            decoder.add_word(std::move(*word));
            continue;
        }
        decoder.add_plain(text[pos]);
        ++pos;
    }
    return decoder.finish();
}

}  // namespace govmail::mime
