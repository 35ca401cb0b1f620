#pragma once

// FETCH data items (RFC 3501 section 6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ). The macros ALL,
// FAST and FULL are expanded by the parser, so handlers only see these.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace govmail::imap {

enum class FetchItem {
    Flags,
    InternalDate,
    Rfc822,  // the whole message, sets \Seen
    Rfc822Header,
    Rfc822Size,
    Rfc822Text,  // sets \Seen
    Envelope,
    Body,  // non-extensible BODYSTRUCTURE
    BodyStructure,
    Uid,
    ModSeq,
    BodySection,    // BODY[section]<partial>, BODY.PEEK[...]
    BinarySection,  // BINARY[part]<partial>, BINARY.PEEK[...]
    BinarySize,     // BINARY.SIZE[part]
};

enum class SectionText {
    None,  // the whole part (or message)
    Header,
    HeaderFields,     // header_fields lists the names
    HeaderFieldsNot,  // header_fields lists the names left out
    Text,
    Mime,  // only after a part number
};

struct Section {
    std::vector<std::uint32_t> part{};  // 1.2.3 is {1, 2, 3}; empty is the whole message
    SectionText text = SectionText::None;
    std::vector<std::string> header_fields{};

    bool operator==(const Section&) const = default;
};

struct Partial {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;  // never 0

    bool operator==(const Partial&) const = default;
};

struct FetchAttribute {
    FetchItem item = FetchItem::Flags;
    Section section{};  // BodySection, BinarySection, BinarySize
    bool peek = false;  // BODY.PEEK / BINARY.PEEK: do not set \Seen
    std::optional<Partial> partial{};

    bool operator==(const FetchAttribute&) const = default;
};

}  // namespace govmail::imap
