#pragma once

// IMAP string syntax (RFC 3501 section 4.3 and 9): quoted strings where the text allows it,
// literals otherwise. The one writer of IMAP strings: imapd's responses, and ENVELOPE and
// BODYSTRUCTURE, which mime/ renders at delivery and storage caches as ready-made text.

#include <optional>
#include <string>
#include <string_view>

namespace govmail {

// `text` as an IMAP string: "quoted" with \" and \\ escaped when it is short 7-bit text without
// CR, LF or NUL; otherwise a synchronising literal {n}\r\n<bytes>, each NUL written as U+FFFD
// (RFC 3501 allows no NUL in a string).
std::string imap_string(std::string_view text);

// NIL when `text` is absent, else imap_string(*text).
std::string imap_nstring(std::optional<std::string_view> text);

// Appends the same forms to `out`, for writers that build one long response.
void append_imap_string(std::string& out, std::string_view text);
void append_imap_nstring(std::string& out, std::optional<std::string_view> text);

}  // namespace govmail
