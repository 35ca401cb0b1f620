#pragma once

// The MIME tree of a raw message (RFC 2045, RFC 2046 section 5): every entity with its exact
// byte offsets, header fields and effective Content-Type. Built once per delivery; the
// ENVELOPE, BODYSTRUCTURE, section list and search text are all derived from it.
//
// The input is untrusted. Scanning never fails and is bounded: at most kMaxDepth levels of
// multipart or message/rfc822 nesting (deeper entities are opaque leaves) and kMaxEntities
// entities in all; the work is O(size x depth).

#include <cstddef>
#include <string_view>
#include <vector>

#include "mime/header.hpp"
#include "mime/media_type.hpp"

namespace govmail::mime {

constexpr std::size_t kMaxDepth = 32;
constexpr std::size_t kMaxEntities = 10000;

struct Entity {
    enum class Kind {
        Leaf,       // a body, or a multipart/message entity not opened (too deep, bad encoding)
        Multipart,  // children are the body parts; never empty (see scan_message)
        Message,    // message/rfc822: the single child is the encapsulated message
    };

    std::size_t header_begin = 0;  // offsets into the raw message
    std::size_t body_begin = 0;    // just after the blank line ending the header
    std::size_t body_end = 0;
    std::vector<HeaderField> fields;  // views into the raw message
    MediaType media;                  // the declared type, or the RFC 2046 default
    Kind kind = Kind::Leaf;
    std::vector<Entity> children;
};

// The tree of `raw`, whose string must outlive it. A multipart without boundary parameter,
// or whose boundary never appears, gets one empty text/plain part, as Dovecot does, so every
// multipart has a part 1 (RFC 3501 requires one in BODYSTRUCTURE).
Entity scan_message(std::string_view raw);

// Number of lines of `text`: its LFs, plus one for a final line without LF.
std::size_t count_lines(std::string_view text);

}  // namespace govmail::mime
