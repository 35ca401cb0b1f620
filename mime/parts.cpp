#include "mime/parts.hpp"

#include <algorithm>
#include <charconv>

namespace govmail::mime {
namespace {

constexpr std::string_view kWholeMessage = "-";

// "1", "1.2", "10.3": dot-separated non-zero numbers without leading zeros.
bool is_section_number(std::string_view text) {
    if (text.empty()) {
        return false;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t dot = std::min(text.find('.', start), text.size());
        const std::string_view number = text.substr(start, dot - start);
        if (number.empty() || number.front() == '0' ||
            !std::all_of(number.begin(), number.end(), [](char c) {
                return c >= '0' && c <= '9';
            })) {
            return false;
        }
        start = dot + 1;
    }
    return true;
}

std::optional<std::size_t> parse_offset(std::string_view text) {
    std::size_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> fields;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t stop = std::min(text.find(separator, start), text.size());
        fields.push_back(text.substr(start, stop - start));
        start = stop + 1;
    }
    return fields;
}

std::optional<PartSpan> parse_line(std::string_view line) {
    const std::vector<std::string_view> fields = split(line, ' ');
    if (fields.size() != 4 && fields.size() != 5) {
        return std::nullopt;
    }
    PartSpan span;
    if (fields[0] != kWholeMessage) {
        if (!is_section_number(fields[0])) {
            return std::nullopt;
        }
        span.section = fields[0];
    }
    std::vector<std::size_t> offsets;
    for (std::size_t i = 1; i < fields.size(); ++i) {
        const std::optional<std::size_t> offset = parse_offset(fields[i]);
        if (!offset) {
            return std::nullopt;
        }
        offsets.push_back(*offset);
    }
    span.header_begin = offsets[0];
    span.body_begin = offsets[1];
    span.body_end = offsets[2];
    span.is_message = offsets.size() == 4;
    span.message_body_begin = span.is_message ? offsets[3] : 0;
    const bool ordered = span.header_begin <= span.body_begin && span.body_begin <= span.body_end;
    const bool message_ordered = !span.is_message || (span.body_begin <= span.message_body_begin &&
                                                      span.message_body_begin <= span.body_end);
    if (!ordered || !message_ordered) {
        return std::nullopt;
    }
    return span;
}

}  // namespace

const PartSpan* find_part(const std::vector<PartSpan>& parts, std::string_view section) {
    const auto found = std::find_if(parts.begin(), parts.end(), [section](const PartSpan& part) {
        return part.section == section;
    });
    return found == parts.end() ? nullptr : &*found;
}

std::optional<ByteRange> locate_section(
    const std::vector<PartSpan>& parts, std::string_view section, SectionText text
) {
    const PartSpan* part = find_part(parts, section);
    if (part == nullptr) {
        return std::nullopt;
    }
    const bool whole = section.empty();
    switch (text) {
        case SectionText::Body:
            return ByteRange{whole ? part->header_begin : part->body_begin, part->body_end};
        case SectionText::Mime:
            return whole
                       ? std::nullopt
                       : std::optional<ByteRange>(ByteRange{part->header_begin, part->body_begin});
        case SectionText::Header:
            if (whole) {
                return ByteRange{part->header_begin, part->body_begin};
            }
            return part->is_message ? std::optional<ByteRange>(ByteRange{
                                          part->body_begin, part->message_body_begin})
                                    : std::nullopt;
        case SectionText::Text:
            if (whole) {
                return ByteRange{part->body_begin, part->body_end};
            }
            return part->is_message ? std::optional<ByteRange>(ByteRange{
                                          part->message_body_begin, part->body_end})
                                    : std::nullopt;
    }
    return std::nullopt;
}

std::string serialize_parts(const std::vector<PartSpan>& parts) {
    std::string out;
    for (const PartSpan& part : parts) {
        out += part.section.empty() ? std::string(kWholeMessage) : part.section;
        for (const std::size_t offset : {part.header_begin, part.body_begin, part.body_end}) {
            out += ' ';
            out += std::to_string(offset);
        }
        if (part.is_message) {
            out += ' ';
            out += std::to_string(part.message_body_begin);
        }
        out += '\n';
    }
    return out;
}

std::optional<std::vector<PartSpan>> deserialize_parts(std::string_view text) {
    if (text.empty() || text.back() != '\n') {
        return std::nullopt;
    }
    text.remove_suffix(1);
    std::vector<PartSpan> parts;
    for (const std::string_view line : split(text, '\n')) {
        std::optional<PartSpan> part = parse_line(line);
        if (!part) {
            return std::nullopt;
        }
        parts.push_back(std::move(*part));
    }
    const auto wholes = std::count_if(parts.begin(), parts.end(), [](const PartSpan& part) {
        return part.section.empty();
    });
    if (!parts.front().section.empty() || wholes != 1) {
        return std::nullopt;
    }
    return parts;
}

}  // namespace govmail::mime
