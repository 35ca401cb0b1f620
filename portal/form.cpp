#include "portal/form.hpp"

namespace govmail::portal {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// Calls EMIT(name, value) for each "name=value" item of TEXT split at SEPARATOR.
template <class Emit>
void split_pairs(std::string_view text, char separator, Emit emit) {
    while (!text.empty()) {
        const auto end = text.find(separator);
        const auto item = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) {
            emit(item, std::string_view{});
        } else {
            emit(item.substr(0, eq), item.substr(eq + 1));
        }
    }
}

}  // namespace

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

Fields decode_form(std::string_view body) {
    Fields out;
    split_pairs(body, '&', [&out](std::string_view name, std::string_view value) {
        if (!name.empty()) {
            out.emplace(percent_decode(name), percent_decode(value));
        }
    });
    return out;
}

std::vector<std::string> decode_form_all(std::string_view body, std::string_view name) {
    std::vector<std::string> out;
    split_pairs(body, '&', [&](std::string_view n, std::string_view value) {
        if (percent_decode(n) == name) {
            out.push_back(percent_decode(value));
        }
    });
    return out;
}

Fields parse_cookies(std::string_view header) {
    Fields out;
    split_pairs(header, ';', [&out](std::string_view name, std::string_view value) {
        const auto n = trim(name);
        if (!n.empty()) {
            out.emplace(std::string(n), std::string(trim(value)));
        }
    });
    return out;
}

std::string_view field(const Fields& fields, std::string_view name) {
    const auto it = fields.find(std::string(name));
    return it == fields.end() ? std::string_view{} : std::string_view(it->second);
}

}  // namespace govmail::portal
