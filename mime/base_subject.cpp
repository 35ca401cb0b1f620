#include "mime/base_subject.hpp"

#include <array>

#include "mime/ascii.hpp"

namespace govmail::mime {
namespace {

// subj-refwd words, folded; "fwd" before "fw" so the longer one is tried first.
constexpr std::array<std::string_view, 6> kReplyWords = {
    "re", "fwd", "fw", "회신", "답장", "전달",
};

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// The code point of a 2- or 3-byte UTF-8 sequence at TEXT[I] and its length, or length 0.
std::pair<char32_t, std::size_t> decode_short_sequence(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const auto continuation = [&](std::size_t k) {
        return i + k < text.size() && (byte(k) & 0xC0) == 0x80;
    };
    if ((byte(0) & 0xE0) == 0xC0 && byte(0) >= 0xC2 && continuation(1)) {
        return {static_cast<char32_t>(((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F)), 2};
    }
    if ((byte(0) & 0xF0) == 0xE0 && continuation(1) && continuation(2)) {
        const char32_t cp = static_cast<char32_t>(
            ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F)
        );
        if (cp >= 0x800) {
            return {cp, 3};
        }
    }
    return {0, 0};
}

char32_t fold_code_point(char32_t cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        cp = cp - 0xFF01 + 0x21;  // full-width ASCII
    }
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
        (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) || (cp >= 0x410 && cp <= 0x42F)) {
        return cp + 0x20;
    }
    if (cp >= 0x400 && cp <= 0x40F) {
        return cp + 0x50;
    }
    if (cp == 0x3000) {
        return ' ';  // ideographic space
    }
    return cp;
}

// Step 1's white space rule: tabs and line ends become spaces, runs of spaces one space.
std::string collapse_white_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const bool space = is_wsp(c) || c == '\r' || c == '\n';
        if (!space) {
            out += c;
        } else if (out.empty() || out.back() != ' ') {
            out += ' ';
        }
    }
    return out;
}

// subj-blob = "[" *BLOBCHAR "]" *WSP at the start of TEXT: its length, or 0.
std::size_t blob_length(std::string_view text) {
    if (text.empty() || text.front() != '[') {
        return 0;
    }
    const auto close = text.find_first_of("[]", 1);
    if (close == std::string_view::npos || text[close] != ']') {
        return 0;
    }
    std::size_t end = close + 1;
    while (end < text.size() && is_wsp(text[end])) {
        ++end;
    }
    return end;
}

// subj-refwd = ("re" / "fw" ["d"] / a Korean word) *WSP [subj-blob] ":" at the start of TEXT.
std::size_t refwd_length(std::string_view text) {
    for (const std::string_view word : kReplyWords) {
        if (!text.starts_with(word)) {
            continue;
        }
        std::size_t end = word.size();
        while (end < text.size() && is_wsp(text[end])) {
            ++end;
        }
        end += blob_length(text.substr(end));
        if (end < text.size() && text[end] == ':') {
            return end + 1;
        }
    }
    return 0;
}

// subj-leader = (*subj-blob subj-refwd) / WSP at the start of TEXT, and whether it was a
// subj-refwd.
std::pair<std::size_t, bool> leader_length(std::string_view text) {
    if (!text.empty() && is_wsp(text.front())) {
        return {1, false};
    }
    std::size_t blobs = 0;
    while (const auto blob = blob_length(text.substr(blobs))) {
        blobs += blob;
    }
    const auto refwd = refwd_length(text.substr(blobs));
    return refwd == 0 ? std::pair<std::size_t, bool>{0, false} : std::pair{blobs + refwd, true};
}

// Step 2: removes subj-trailer ("(fwd)" / WSP) from the end, repeatedly.
void remove_trailers(std::string& text, bool& reply) {
    constexpr std::string_view kFwdTrailer = "(fwd)";
    while (true) {
        if (!text.empty() && is_wsp(text.back())) {
            text.pop_back();
        } else if (text.ends_with(kFwdTrailer)) {
            text.resize(text.size() - kFwdTrailer.size());
            reply = true;
        } else {
            return;
        }
    }
}

// Steps 3 to 5: removes leaders, and a leading blob that leaves a non-empty base, until
// neither applies.
void remove_leaders(std::string& text, bool& reply) {
    bool changed = true;
    while (changed) {
        changed = false;
        while (true) {
            const auto [length, refwd] = leader_length(text);
            if (length == 0) {
                break;
            }
            text.erase(0, length);
            reply = reply || refwd;
            changed = true;
        }
        const auto blob = blob_length(text);
        if (blob != 0 && blob < text.size()) {
            text.erase(0, blob);
            changed = true;
        }
    }
}

}  // namespace

std::string casemap_fold(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto [cp, length] = decode_short_sequence(text, i);
        if (length == 0) {
            out += to_lower(text[i]);
            ++i;
            continue;
        }
        append_utf8(out, fold_code_point(cp));
        i += length;
    }
    return out;
}

BaseSubject base_subject(std::string_view decoded_subject) {
    constexpr std::string_view kFwdHeader = "[fwd:";
    BaseSubject base;
    std::string text = collapse_white_space(casemap_fold(decoded_subject));
    while (true) {
        remove_trailers(text, base.reply);
        remove_leaders(text, base.reply);
        // Step 6: "[fwd:" subj-base "]" is unwrapped and the steps start again.
        if (text.starts_with(kFwdHeader) && text.ends_with(']')) {
            text = text.substr(kFwdHeader.size(), text.size() - kFwdHeader.size() - 1);
            base.reply = true;
            continue;
        }
        break;
    }
    base.text = std::move(text);
    return base;
}

}  // namespace govmail::mime
