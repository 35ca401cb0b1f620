#pragma once

// IMAP body sections (RFC 3501 section 6.4.5) as byte ranges of the raw message. The list is
// computed once at delivery, cached in the store as text (serialize_parts), and lets FETCH
// BODY[section] slice the stored bytes without parsing the message again.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::mime {

struct PartSpan {
    // "" for the whole message, else "1", "1.2", "2.1.3"... Parts of a message/rfc822 part S
    // are S.1, S.2...; when the encapsulated message is not multipart, S.1 is its body.
    std::string section;
    std::size_t header_begin = 0;  // start of the part's MIME header (for "": the message header)
    std::size_t body_begin = 0;    // after the blank line that ends that header
    std::size_t body_end = 0;
    bool is_message = false;  // message/rfc822: has S.HEADER and S.TEXT
    // Only when is_message: where the encapsulated message's body starts, so that
    // S.HEADER = [body_begin, message_body_begin) and S.TEXT = [message_body_begin, body_end).
    std::size_t message_body_begin = 0;

    friend bool operator==(const PartSpan&, const PartSpan&) = default;
};

// What of a section FETCH asks for: BODY[1.2], BODY[2.HEADER], BODY[2.TEXT], BODY[1.MIME].
// HEADER.FIELDS and HEADER.FIELDS.NOT are Header, filtered with header_fields().
enum class SectionText { Body, Header, Text, Mime };

struct ByteRange {
    std::size_t begin = 0;
    std::size_t end = 0;

    friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

// The part numbered `section` ("" is the whole message), or nullptr.
const PartSpan* find_part(const std::vector<PartSpan>& parts, std::string_view section);

// The bytes FETCH returns for `section` and `text`, or nullopt when the message has no such
// section (HEADER/TEXT of a part that is not message/rfc822, MIME of the whole message).
std::optional<ByteRange> locate_section(
    const std::vector<PartSpan>& parts, std::string_view section, SectionText text
);

// One line per part: "<section or -> <header_begin> <body_begin> <body_end>[
// <message_body_begin>]\n", the fifth number present exactly for message/rfc822 parts.
std::string serialize_parts(const std::vector<PartSpan>& parts);

// The inverse of serialize_parts. Strict: nullopt unless every line is well-formed, the
// offsets are ordered and the first line is the whole message.
std::optional<std::vector<PartSpan>> deserialize_parts(std::string_view text);

}  // namespace govmail::mime
