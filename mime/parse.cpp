#include "mime/parse.hpp"

#include <algorithm>

#include "mime/body_structure.hpp"
#include "mime/date.hpp"
#include "mime/encoded_words.hpp"
#include "mime/entity.hpp"
#include "mime/envelope.hpp"
#include "mime/header.hpp"
#include "mime/search_text.hpp"
#include "mime/sections.hpp"

namespace govmail::mime {
namespace {

std::string decoded_field(const std::vector<HeaderField>& fields, std::string_view name) {
    const std::optional<std::string_view> value = field_value(fields, name);
    return value ? decode_header_value(*value) : std::string();
}

std::string header_text(const std::vector<HeaderField>& fields) {
    std::string out;
    for (const auto& field : fields) {
        std::string line = std::string(field.name) + ": " + decode_header_value(field.value) + "\n";
        if (out.size() + line.size() > kMaxSearchText) {
            break;
        }
        out += line;
    }
    return out;
}

// NUL bytes (a binary message, RFC 3516 APPEND literal8, or a broken one) become spaces in
// the decoded fields and the header text (search_text does so for the body text): they are
// stored as text, which cannot hold NUL.
// (ENVELOPE and BODYSTRUCTURE strings already replace NUL, see common/imap_string.)
void blank_nul_bytes(std::string& text) { std::ranges::replace(text, '\0', ' '); }

ParsedMessage parse_tree(std::string_view raw) {
    const Entity message = scan_message(raw);
    const std::vector<HeaderField>& fields = message.fields;
    ParsedMessage parsed;
    parsed.envelope = envelope(fields);
    parsed.body_structure = body_structure(raw, message, true);
    parsed.body = body_structure(raw, message, false);
    parsed.parts = number_sections(message);
    parsed.subject = decoded_field(fields, "Subject");
    parsed.from = decoded_field(fields, "From");
    parsed.to = decoded_field(fields, "To");
    parsed.cc = decoded_field(fields, "Cc");
    parsed.bcc = decoded_field(fields, "Bcc");
    parsed.message_id = unfolded_value(fields, "Message-ID").value_or("");
    parsed.in_reply_to = unfolded_value(fields, "In-Reply-To").value_or("");
    parsed.references = unfolded_value(fields, "References").value_or("");
    const std::optional<std::string_view> date = field_value(fields, "Date");
    parsed.date_unix = date ? parse_date(*date) : std::nullopt;
    parsed.search_text = search_text(raw, message, kMaxSearchText);
    parsed.header_text = header_text(fields);
    for (std::string* text :
         {&parsed.subject, &parsed.from, &parsed.to, &parsed.cc, &parsed.bcc, &parsed.message_id,
          &parsed.in_reply_to, &parsed.references, &parsed.header_text}) {
        blank_nul_bytes(*text);
    }
    return parsed;
}

// What is stored when parsing failed on something unforeseen: the whole message as one
// text/plain body, which every client can display.
ParsedMessage opaque_message(std::string_view raw) {
    const std::string size = std::to_string(raw.size());
    const std::string lines = std::to_string(count_lines(raw));
    ParsedMessage parsed;
    parsed.envelope = "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)";
    parsed.body =
        R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" )" + size + " " + lines + ")";
    parsed.body_structure = parsed.body;
    parsed.body_structure.insert(parsed.body_structure.size() - 1, " NIL NIL NIL NIL");
    parsed.parts = {{"", 0, 0, raw.size(), false, 0}, {"1", 0, 0, raw.size(), false, 0}};
    return parsed;
}

}  // namespace

ParsedMessage parse(std::string_view raw) noexcept {
    try {
        return parse_tree(raw);
    } catch (...) {
        // Only resource exhaustion is expected here; the parser has no throwing paths of its
        // own. An allocation failure in the fallback ends the process (STYLE.md: crash on OOM).
        return opaque_message(raw);
    }
}

}  // namespace govmail::mime
