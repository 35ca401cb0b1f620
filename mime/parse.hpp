#pragma once

// Parsing a delivered message once, for everything IMAP needs later: ENVELOPE, BODY,
// BODYSTRUCTURE, section offsets and the decoded fields and text SEARCH matches.
//
// Input is untrusted mail from the network. parse() never throws and never rejects: a broken
// message is stored as it came with a best-effort structure. Nesting is bounded (kMaxDepth),
// as are the number of parts (kMaxEntities) and the search text (kMaxSearchText).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/parts.hpp"

namespace govmail::mime {

struct ParsedMessage {
    std::string envelope;         // IMAP ENVELOPE, ready to send
    std::string body_structure;   // IMAP BODYSTRUCTURE (extended)
    std::string body;             // IMAP BODY (not extended)
    std::vector<PartSpan> parts;  // the whole message first, then every part in tree order
    // Header fields decoded to UTF-8 (RFC 2047 and raw 8-bit), unfolded; empty when absent.
    std::string subject, from, to, cc, bcc;
    // Unfolded, not decoded.
    std::string message_id, in_reply_to, references;
    std::optional<std::int64_t> date_unix;  // the Date: header, when it can be read
    std::string search_text;                // text/* parts as UTF-8, at most kMaxSearchText bytes
    // The message header for SEARCH HEADER/TEXT: one "Name: value" line per field, values
    // decoded to UTF-8 and unfolded, at most kMaxSearchText bytes.
    std::string header_text;
};

ParsedMessage parse(std::string_view raw) noexcept;

}  // namespace govmail::mime
