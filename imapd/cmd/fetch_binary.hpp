#pragma once

// FETCH BINARY[part]<partial>, BINARY.PEEK[part] and BINARY.SIZE[part] (RFC 3516): the body of a
// part with its Content-Transfer-Encoding undone (base64 and quoted-printable by mime/), sliced
// from the stored message with the part offsets cached at delivery. The message is client data:
// an encoding we cannot undo is reported (UNKNOWN-CTE), never guessed at, and decoded data
// holding NUL goes out as a literal8 "~{n}".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imapd/proto/fetch_attribute.hpp"
#include "mime/parts.hpp"

namespace govmail::imap {

// The decoded body of the part numbered SECTION ("1.2"; "" is the whole message, returned as
// stored); empty when the message has no such part; nullopt when the part's
// Content-Transfer-Encoding is not one we can undo.
std::optional<std::string> binary_content(
    std::string_view section, std::string_view raw, const std::vector<mime::PartSpan>& parts
);

// The response item for a BinarySection or BinarySize attribute A of the part SECTION whose
// decoded body is CONTENT: "BINARY[1]<0> {5}\r\n..." ("~{5}" when the bytes sent hold a NUL),
// or "BINARY.SIZE[1] 5".
std::string binary_item(
    const FetchAttribute& a, std::string_view section, std::string_view content
);

}  // namespace govmail::imap
