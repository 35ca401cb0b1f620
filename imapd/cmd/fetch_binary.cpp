#include "imapd/cmd/fetch_binary.hpp"

#include "mime/header.hpp"
#include "mime/transfer_encoding.hpp"

namespace govmail::imap {

std::optional<std::string> binary_content(
    std::string_view section, std::string_view raw, const std::vector<mime::PartSpan>& parts
) {
    const mime::PartSpan* part = mime::find_part(parts, section);
    if (part == nullptr || part->header_begin > part->body_begin ||
        part->body_begin > part->body_end || part->body_end > raw.size()) {
        return std::string();
    }
    if (section.empty()) {
        return std::string(raw);  // the message itself has no transfer encoding to undo
    }
    const auto header =
        mime::scan_header(raw.substr(part->header_begin, part->body_begin - part->header_begin));
    const auto encoding =
        mime::unfolded_value(header.fields, "Content-Transfer-Encoding").value_or("");
    if (!mime::is_known_transfer_encoding(encoding)) {
        return std::nullopt;
    }
    return mime::transfer_decode(
        raw.substr(part->body_begin, part->body_end - part->body_begin), encoding
    );
}

std::string binary_item(
    const FetchAttribute& a, std::string_view section, std::string_view content
) {
    if (a.item == FetchItem::BinarySize) {
        return "BINARY.SIZE[" + std::string(section) + "] " + std::to_string(content.size());
    }
    std::string item = "BINARY[" + std::string(section) + "]";
    if (a.partial) {
        item += "<" + std::to_string(a.partial->offset) + ">";
        content = a.partial->offset < content.size()
                      ? content.substr(a.partial->offset, a.partial->length)
                      : std::string_view();
    }
    const bool literal8 = content.find('\0') != std::string_view::npos;
    return item + (literal8 ? " ~{" : " {") + std::to_string(content.size()) + "}\r\n" +
           std::string(content);
}

}  // namespace govmail::imap
