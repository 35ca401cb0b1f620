// libFuzzer target for the MIME layer as delivery and FETCH use it: parse() (the MIME tree,
// ENVELOPE, BODY, BODYSTRUCTURE, sections, search text) and the section slicing of FETCH.
// Invariants:
// - the tree's pieces, called without parse()'s catch-all, throw nothing and agree with parse();
// - ENVELOPE, BODY and BODYSTRUCTURE are well-formed IMAP (lists of NIL, strings and numbers),
//   read back by the IMAP tokenizer: nothing in a message can inject protocol text;
// - every part span lies inside the message, every section FETCH can ask for is a byte range of
//   the message, and the cached section list round-trips through its text form.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "imapd/proto/tokenizer.hpp"
#include "mime/body_structure.hpp"
#include "mime/encoded_words.hpp"
#include "mime/entity.hpp"
#include "mime/envelope.hpp"
#include "mime/header.hpp"
#include "mime/parse.hpp"
#include "mime/parts.hpp"
#include "mime/search_text.hpp"
#include "mime/sections.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::mime {
namespace {

using fuzz::check;

// Deep enough for kMaxDepth levels of message/rfc822 (an ENVELOPE and a body each).
constexpr std::size_t kListDepth = 4 * kMaxDepth + 8;

// A list, NIL, a string (quoted or literal) or a number, as RFC 3501 writes body and envelope:
// items are separated by a space, except that lists follow each other directly (the parts of a
// multipart, the addresses of a field); no list is empty.
void read_item(imap::Tokenizer& tokens) {
    const char next = tokens.peek();
    if (next == '(') {
        tokens.expect('(');
        if (!tokens.enter_nesting()) {
            return;
        }
        if (tokens.peek() == ')') {
            tokens.fail("Empty list");
        }
        bool first = true;
        bool after_list = false;
        while (tokens.ok() && tokens.peek() != ')') {
            if (!first && !tokens.skip_if(' ') && !(after_list && tokens.peek() == '(')) {
                tokens.fail("Expected a space");
            }
            after_list = tokens.peek() == '(';
            read_item(tokens);
            first = false;
        }
        tokens.expect(')');
        tokens.leave_nesting();
    } else if (next >= '0' && next <= '9') {
        (void)tokens.number64();
    } else {
        (void)tokens.nstring();
    }
}

void check_imap_list(const std::string& text, const char* what) {
    check(text.starts_with('('), what);
    const std::string line = text + "\r\n";
    imap::Tokenizer tokens(line, kListDepth);
    read_item(tokens);
    tokens.line_end();
    if (!tokens.ok()) {
        std::fprintf(
            stderr, "%s at: %s\n%.2000s\n", tokens.error()->text.c_str(), what, text.c_str()
        );
    }
    check(tokens.ok(), what);
}

void check_sections(std::string_view raw, const std::vector<PartSpan>& parts) {
    check(!parts.empty() && parts.front().section.empty(), "the whole message comes first");
    for (const PartSpan& part : parts) {
        check(
            part.header_begin <= part.body_begin && part.body_begin <= part.body_end &&
                part.body_end <= raw.size(),
            "part spans lie inside the message"
        );
        if (part.is_message) {
            check(
                part.body_begin <= part.message_body_begin &&
                    part.message_body_begin <= part.body_end,
                "the encapsulated message's body lies inside its part"
            );
        }
        check(find_part(parts, part.section) == &part, "sections are unique");
        for (const SectionText text :
             {SectionText::Body, SectionText::Header, SectionText::Text, SectionText::Mime}) {
            const auto range = locate_section(parts, part.section, text);
            if (range) {
                check(range->begin <= range->end && range->end <= raw.size(), "section range");
            }
        }
        const auto header = locate_section(parts, part.section, SectionText::Header);
        if (header) {
            const std::string_view block = raw.substr(header->begin, header->end - header->begin);
            (void)header_fields(block, {"Subject", "From", "Content-Type"}, false);
            (void)header_fields(block, {"Received"}, true);
        }
    }
    const auto cached = deserialize_parts(serialize_parts(parts));
    check(cached.has_value() && *cached == parts, "the section list round-trips");
}

}  // namespace
}  // namespace govmail::mime

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::mime;
    using govmail::fuzz::check;
    const std::string_view raw = govmail::fuzz::as_text(data, size);

    const ParsedMessage parsed = parse(raw);
    check_sections(raw, parsed.parts);
    check_imap_list(parsed.envelope, "ENVELOPE is well-formed IMAP");
    check_imap_list(parsed.body_structure, "BODYSTRUCTURE is well-formed IMAP");
    check_imap_list(parsed.body, "BODY is well-formed IMAP");
    check(parsed.search_text.size() <= kMaxSearchText, "search text is bounded");
    check(parsed.header_text.size() <= kMaxSearchText, "header text is bounded");

    // The same pieces without parse()'s catch-all: an exception here is a bug parse() hides.
    const Entity message = scan_message(raw);
    check(envelope(message.fields) == parsed.envelope, "ENVELOPE as parse() computed it");
    check(
        body_structure(raw, message, true) == parsed.body_structure,
        "BODYSTRUCTURE as parse() computed it"
    );
    check(body_structure(raw, message, false) == parsed.body, "BODY as parse() computed it");
    check(number_sections(message) == parsed.parts, "sections as parse() computed them");
    check(
        search_text(raw, message, kMaxSearchText) == parsed.search_text,
        "search text as parse() computed it"
    );
    (void)decode_header_value(raw);
    return 0;
}
