#include "mime/entity.hpp"

#include <algorithm>
#include <cstring>

#include "mime/ascii.hpp"

namespace govmail::mime {
namespace {

MediaType text_plain() { return {"text", "plain", {}}; }

MediaType message_rfc822() { return {"message", "rfc822", {}}; }

// One boundary line found in a multipart body.
struct Delimiter {
    std::size_t line_begin = 0;  // where "--boundary" starts
    std::size_t part_begin = 0;  // start of the next line: the part after this delimiter
    bool closes = false;         // "--boundary--"
};

bool is_opaque_encoding(std::optional<std::string_view> encoding) {
    if (!encoding) {
        return false;
    }
    const std::string name = lower(trim(*encoding));
    return name == "base64" || name == "quoted-printable";
}

class Scanner {
public:
    explicit Scanner(std::string_view raw) : raw_(raw) {}

    Entity scan(
        std::size_t begin, std::size_t end, const MediaType& default_media, std::size_t depth
    ) {
        --budget_;
        Entity entity;
        const HeaderScan header = scan_header(raw_.substr(begin, end - begin));
        entity.header_begin = begin;
        entity.body_begin = begin + header.body_begin;
        entity.body_end = end;
        entity.fields = header.fields;
        const std::optional<std::string_view> content_type =
            field_value(entity.fields, "Content-Type");
        std::optional<MediaType> declared =
            content_type ? parse_content_type(*content_type) : std::nullopt;
        entity.media = declared ? std::move(*declared) : default_media;
        if (depth >= kMaxDepth || budget_ == 0) {
            return entity;
        }
        if (entity.media.type == "multipart") {
            entity.kind = Entity::Kind::Multipart;
            scan_parts(entity, depth);
        } else if (entity.media.type == "message" && entity.media.subtype == "rfc822" &&
                   !is_opaque_encoding(field_value(entity.fields, "Content-Transfer-Encoding"))) {
            entity.kind = Entity::Kind::Message;
            entity.children.push_back(scan(entity.body_begin, end, text_plain(), depth + 1));
        }
        return entity;
    }

private:
    void scan_parts(Entity& multipart, std::size_t depth) {
        const std::string* boundary = find_param(multipart.media.params, "boundary");
        const MediaType child_default =
            multipart.media.subtype == "digest" ? message_rfc822() : text_plain();
        std::optional<Delimiter> opening;
        if (boundary && !boundary->empty()) {
            opening = next_delimiter(*boundary, multipart.body_begin, multipart.body_end);
        }
        while (opening && !opening->closes && budget_ > 0) {
            const std::size_t begin = opening->part_begin;
            std::optional<Delimiter> closing = next_delimiter(*boundary, begin, multipart.body_end);
            const std::size_t end = closing ? std::max(begin, line_break_start(closing->line_begin))
                                            : multipart.body_end;
            multipart.children.push_back(scan(begin, end, child_default, depth + 1));
            opening = std::move(closing);
        }
        if (multipart.children.empty()) {
            Entity empty;
            empty.header_begin = empty.body_begin = empty.body_end = multipart.body_end;
            empty.media = text_plain();
            multipart.children.push_back(std::move(empty));
        }
    }

    // The first "--boundary" line in [begin, end) that starts at `begin` or after a LF.
    std::optional<Delimiter> next_delimiter(
        const std::string& boundary, std::size_t begin, std::size_t end
    ) const {
        for (std::size_t line = begin; line < end;) {
            const std::size_t newline = raw_.find('\n', line);
            const std::size_t next =
                newline == std::string_view::npos || newline >= end ? end : newline + 1;
            const std::string_view text = raw_.substr(line, next - line);
            if (text.size() >= boundary.size() + 2 && text.starts_with("--") &&
                text.substr(2, boundary.size()) == boundary) {
                const std::string_view rest = text.substr(boundary.size() + 2);
                if (rest.starts_with("--")) {
                    return Delimiter{line, next, true};
                }
                if (trim(rest).empty()) {
                    return Delimiter{line, next, false};
                }
            }
            line = next;
        }
        return std::nullopt;
    }

    // RFC 2046 5.1.1: the line break before a delimiter belongs to the delimiter.
    std::size_t line_break_start(std::size_t delimiter) const {
        if (delimiter >= 2 && raw_.compare(delimiter - 2, 2, "\r\n") == 0) {
            return delimiter - 2;
        }
        return delimiter >= 1 && raw_[delimiter - 1] == '\n' ? delimiter - 1 : delimiter;
    }

    std::string_view raw_;
    std::size_t budget_ = kMaxEntities;
};

}  // namespace

Entity scan_message(std::string_view raw) {
    return Scanner(raw).scan(0, raw.size(), text_plain(), 0);
}

std::size_t count_lines(std::string_view text) {
    if (text.empty()) {
        return 0;
    }
    // memchr scans a word or a vector at a time; std::count here went a byte at a time.
    std::size_t lf = 0;
    const char* at = text.data();
    const char* const end = at + text.size();
    while ((at = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)))
           ) != nullptr) {
        ++lf;
        ++at;
    }
    return text.back() != '\n' ? lf + 1 : lf;
}

}  // namespace govmail::mime
