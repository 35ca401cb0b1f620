#include "mime/header.hpp"

#include <algorithm>

#include "mime/ascii.hpp"

namespace govmail::mime {
namespace {

// RFC 5322 ftext: printable ASCII except the colon.
bool is_field_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return c > ' ' && c < 127 && c != ':';
    });
}

std::string_view without_line_end(std::string_view line) {
    if (!line.empty() && line.back() == '\n') {
        line.remove_suffix(1);
    }
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

}  // namespace

HeaderScan scan_header(std::string_view text) {
    HeaderScan scan;
    std::size_t pos = 0;
    bool last_is_kept = false;  // whether a continuation line extends scan.fields.back()
    while (pos < text.size()) {
        const std::size_t newline = text.find('\n', pos);
        const std::size_t next = newline == std::string_view::npos ? text.size() : newline + 1;
        const std::string_view line = text.substr(pos, next - pos);
        const std::string_view content = without_line_end(line);
        if (content.empty()) {
            scan.body_begin = next;
            return scan;
        }
        if (is_wsp(content.front())) {
            if (last_is_kept) {
                HeaderField& field = scan.fields.back();
                const char* begin = field.lines.data();
                field.lines = std::string_view(begin, field.lines.size() + line.size());
                const std::size_t value_offset =
                    static_cast<std::size_t>(field.value.data() - begin);
                field.value = without_line_end(field.lines.substr(value_offset));
            }
            pos = next;
            continue;
        }
        const std::size_t colon = content.find(':');
        std::string_view name = content.substr(0, colon);
        while (!name.empty() && is_wsp(name.back())) {
            name.remove_suffix(1);
        }
        if (colon == std::string_view::npos || !is_field_name(name)) {
            scan.body_begin = pos;
            return scan;
        }
        last_is_kept = scan.fields.size() < kMaxHeaderFields;
        if (last_is_kept) {
            scan.fields.push_back({name, content.substr(colon + 1), line});
        }
        pos = next;
    }
    scan.body_begin = text.size();
    return scan;
}

std::optional<std::string_view> field_value(
    const std::vector<HeaderField>& fields, std::string_view name
) {
    const auto found = std::find_if(fields.begin(), fields.end(), [name](const HeaderField& f) {
        return iequals(f.name, name);
    });
    if (found == fields.end()) {
        return std::nullopt;
    }
    return found->value;
}

std::string unfold(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : trim(value)) {
        if (c != '\r' && c != '\n') {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> unfolded_value(
    const std::vector<HeaderField>& fields, std::string_view name
) {
    const std::optional<std::string_view> value = field_value(fields, name);
    if (!value) {
        return std::nullopt;
    }
    return unfold(*value);
}

std::string header_fields(
    std::string_view header_block, const std::vector<std::string>& names, bool negate
) {
    std::string out;
    for (const HeaderField& field : scan_header(header_block).fields) {
        const bool listed = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
            return iequals(n, field.name);
        });
        if (listed == negate) {
            continue;
        }
        out += field.lines;
        if (field.lines.back() != '\n') {
            out += "\r\n";
        }
    }
    out += "\r\n";
    return out;
}

}  // namespace govmail::mime
