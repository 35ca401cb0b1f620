#include "admin-cli/export_names.hpp"

#include <algorithm>
#include <array>

#include "common/ascii.hpp"

namespace govmail::admin {
namespace {

constexpr std::size_t kMaxComponentBytes = 120;
constexpr std::string_view kRefused = "<>:\"/\\|?*";

// Length of the valid UTF-8 sequence at TEXT[I], or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        n = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        n = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        n = 4;
    } else {
        return 0;
    }
    if (i + n > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < n; ++k) {
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
            return 0;
        }
    }
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
        (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
        return 0;  // overlong, surrogate or beyond U+10FFFF
    }
    return n;
}

bool is_reserved_device(std::string_view name) {
    static constexpr std::array<std::string_view, 4> kPlain{"CON", "PRN", "AUX", "NUL"};
    const auto base = ascii::upper(name.substr(0, name.find('.')));
    const auto trimmed = base.substr(0, base.find_last_not_of(' ') + 1);
    if (std::find(kPlain.begin(), kPlain.end(), trimmed) != kPlain.end()) {
        return true;
    }
    return trimmed.size() == 4 && (trimmed.starts_with("COM") || trimmed.starts_with("LPT")) &&
           trimmed[3] >= '0' && trimmed[3] <= '9';
}

// "12.eml" is a message file's name; a folder must not take it.
bool is_message_name(std::string_view name) {
    const auto dot = name.find('.');
    return dot != std::string_view::npos && dot > 0 && ascii::lower(name.substr(dot)) == ".eml" &&
           std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(dot), [](char c) {
               return c >= '0' && c <= '9';
           });
}

}  // namespace

std::string safe_component(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size();) {
        const auto n = utf8_length(name, i);
        const auto c = static_cast<unsigned char>(name[i]);
        if (out.size() + std::max<std::size_t>(n, 1) > kMaxComponentBytes) {
            break;
        }
        if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f ||
                                  kRefused.find(name[i]) != std::string_view::npos))) {
            out += '_';
            ++i;
            continue;
        }
        out.append(name.substr(i, n));
        i += n;
    }
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) {
        out.pop_back();
    }
    if (out.empty()) {
        return "_";
    }
    if (is_reserved_device(out) || is_message_name(out)) {
        return "_" + out;
    }
    return out;
}

std::string export_folder(std::string_view mailbox, TakenNames& taken) {
    std::string folder;
    std::size_t start = 0;
    while (true) {
        const auto end = mailbox.find('/', start);
        if (!folder.empty()) {
            folder += '/';
        }
        folder += safe_component(mailbox.substr(start, end - start));
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    std::string chosen = folder;
    if (taken.names.contains(ascii::lower(chosen))) {
        // Every suffix below the hint is taken already, and names are never given back.
        int& n = taken.next_suffix.try_emplace(ascii::lower(folder), 2).first->second;
        do {
            chosen = folder + " (" + std::to_string(n++) + ")";
        } while (taken.names.contains(ascii::lower(chosen)));
    }
    taken.names.insert(ascii::lower(chosen));
    return chosen;
}

}  // namespace govmail::admin
