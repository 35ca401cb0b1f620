#include "imapd/proto/fetch_parser.hpp"

#include <array>

namespace govmail::imap {
namespace {

struct SimpleItem {
    std::string_view name;
    FetchItem item;
};

constexpr std::array<SimpleItem, 10> kSimpleItems = {{
    {"FLAGS", FetchItem::Flags},
    {"INTERNALDATE", FetchItem::InternalDate},
    {"RFC822", FetchItem::Rfc822},
    {"RFC822.HEADER", FetchItem::Rfc822Header},
    {"RFC822.SIZE", FetchItem::Rfc822Size},
    {"RFC822.TEXT", FetchItem::Rfc822Text},
    {"ENVELOPE", FetchItem::Envelope},
    {"BODYSTRUCTURE", FetchItem::BodyStructure},
    {"UID", FetchItem::Uid},
    {"MODSEQ", FetchItem::ModSeq},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '.';
}

// An item or section name such as "BODY.PEEK" or "HEADER.FIELDS", upper-cased.
std::string name(Tokenizer& tokens) {
    std::string text(tokens.take_while(is_name_char));
    for (char& c : text) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return text;
}

// The text after the part numbers: HEADER, HEADER.FIELDS[.NOT] (names), TEXT or MIME.
void parse_section_text(Tokenizer& tokens, Section& section) {
    const std::string text = name(tokens);
    if (text == "HEADER") {
        section.text = SectionText::Header;
    } else if (text == "TEXT") {
        section.text = SectionText::Text;
    } else if (text == "MIME" && !section.part.empty()) {
        section.text = SectionText::Mime;
    } else if (text == "HEADER.FIELDS" || text == "HEADER.FIELDS.NOT") {
        section.text =
            text == "HEADER.FIELDS" ? SectionText::HeaderFields : SectionText::HeaderFieldsNot;
        tokens.space();
        tokens.list([&] { section.header_fields.push_back(tokens.astring()); }, EmptyList::Refused);
    } else {
        tokens.fail("Invalid section");
    }
}

// "[" [part *("." part)] ["." section-text | section-text] "]"
Section parse_section(Tokenizer& tokens) {
    Section section;
    tokens.expect('[');
    if (tokens.skip_if(']')) {
        return section;
    }
    bool text_follows = true;
    while (tokens.ok() && is_digit(tokens.peek())) {
        section.part.push_back(tokens.nz_number());
        if (!tokens.skip_if('.')) {
            text_follows = false;
            break;
        }
    }
    if (text_follows) {
        parse_section_text(tokens, section);
    }
    tokens.expect(']');
    return section;
}

// "<" offset "." length ">", if present.
std::optional<Partial> parse_partial(Tokenizer& tokens) {
    if (!tokens.skip_if('<')) {
        return std::nullopt;
    }
    Partial partial;
    partial.offset = tokens.number();
    tokens.expect('.');
    partial.length = tokens.nz_number();
    tokens.expect('>');
    return partial;
}

// BINARY[...], BINARY.PEEK[...] and BINARY.SIZE[...] name parts only (RFC 3516 section-binary).
FetchAttribute parse_binary(Tokenizer& tokens, FetchItem item, bool peek) {
    FetchAttribute attribute{item, parse_section(tokens), peek, std::nullopt};
    if (attribute.section.text != SectionText::None) {
        tokens.fail("BINARY takes only part numbers");
    }
    if (item == FetchItem::BinarySection) {
        attribute.partial = parse_partial(tokens);
    }
    return attribute;
}

FetchAttribute parse_attribute(Tokenizer& tokens, const std::string& item_name) {
    for (const SimpleItem& simple : kSimpleItems) {
        if (simple.name == item_name) {
            return {simple.item, {}, false, std::nullopt};
        }
    }
    if (item_name == "BODY" && tokens.peek() != '[') {
        return {FetchItem::Body, {}, false, std::nullopt};
    }
    if (item_name == "BODY" || item_name == "BODY.PEEK") {
        Section section = parse_section(tokens);
        return {
            FetchItem::BodySection, std::move(section), item_name == "BODY.PEEK",
            parse_partial(tokens)};
    }
    if (item_name == "BINARY" || item_name == "BINARY.PEEK") {
        return parse_binary(tokens, FetchItem::BinarySection, item_name == "BINARY.PEEK");
    }
    if (item_name == "BINARY.SIZE") {
        return parse_binary(tokens, FetchItem::BinarySize, false);
    }
    tokens.fail("Unknown FETCH item");
    return {};
}

// ALL, FAST and FULL (RFC 3501 section 6.4.5); empty for any other name.
std::vector<FetchAttribute> expand_macro(const std::string& item_name) {
    std::vector<FetchAttribute> attributes;
    if (item_name != "ALL" && item_name != "FAST" && item_name != "FULL") {
        return attributes;
    }
    for (const FetchItem item :
         {FetchItem::Flags, FetchItem::InternalDate, FetchItem::Rfc822Size}) {
        attributes.push_back({item, {}, false, std::nullopt});
    }
    if (item_name != "FAST") {
        attributes.push_back({FetchItem::Envelope, {}, false, std::nullopt});
    }
    if (item_name == "FULL") {
        attributes.push_back({FetchItem::Body, {}, false, std::nullopt});
    }
    return attributes;
}

void parse_modifiers(Tokenizer& tokens, Fetch& fetch) {
    tokens.list(
        [&] {
            const std::string modifier = tokens.keyword();
            if (modifier == "CHANGEDSINCE") {
                tokens.space();
                fetch.changed_since = tokens.number64();
            } else if (modifier == "VANISHED") {
                fetch.vanished = true;
            } else {
                tokens.fail("Unknown FETCH modifier");
            }
        },
        EmptyList::Refused
    );
}

}  // namespace

Fetch parse_fetch(Tokenizer& tokens, bool uid) {
    Fetch fetch;
    fetch.uid = uid;
    tokens.space();
    fetch.set = tokens.sequence_set();
    tokens.space();
    if (tokens.peek() == '(') {
        tokens.list(
            [&] { fetch.attributes.push_back(parse_attribute(tokens, name(tokens))); },
            EmptyList::Refused
        );
    } else {
        const std::string item_name = name(tokens);
        fetch.attributes = expand_macro(item_name);
        if (fetch.attributes.empty()) {
            fetch.attributes.push_back(parse_attribute(tokens, item_name));
        }
    }
    if (tokens.skip_if(' ')) {
        parse_modifiers(tokens, fetch);
    }
    if (fetch.vanished && !(uid && fetch.changed_since)) {
        tokens.fail("VANISHED needs UID FETCH with CHANGEDSINCE");
    }
    return fetch;
}

}  // namespace govmail::imap
