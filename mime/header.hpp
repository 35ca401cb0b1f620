#pragma once

// Header blocks (RFC 5322 section 2.2): splitting into fields with their exact bytes, and the
// BODY[HEADER.FIELDS (...)] / HEADER.FIELDS.NOT subsets FETCH serves from the stored bytes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::mime {

struct HeaderField {
    std::string_view name;   // as written, without the colon and trailing blanks
    std::string_view value;  // after the colon, folding CRLFs kept, final line end excluded
    std::string_view lines;  // the whole field: first line, continuation lines, final line end
};

struct HeaderScan {
    std::vector<HeaderField> fields;
    // Offset of the body: just after the blank line; or, in a header without one, the first
    // line that is neither a field nor a continuation (or the end of the text).
    std::size_t body_begin = 0;
};

// Bounds the work spent on a header made of millions of tiny fields.
inline constexpr std::size_t kMaxHeaderFields = 10000;

// Splits the header at the start of `text`. Never fails; garbage before the first field is
// skipped and at most kMaxHeaderFields fields are kept.
HeaderScan scan_header(std::string_view text);

// Value of the first field called `name` (case-insensitive), folding kept.
std::optional<std::string_view> field_value(
    const std::vector<HeaderField>& fields, std::string_view name
);

// The first `name` field's value unfolded, if present.
std::optional<std::string> unfolded_value(
    const std::vector<HeaderField>& fields, std::string_view name
);

// `value` with its line ends removed (RFC 5322 unfolding) and outer white space trimmed.
std::string unfold(std::string_view value);

// BODY[HEADER.FIELDS (names)] when `negate` is false, HEADER.FIELDS.NOT otherwise: the matching
// fields of `header_block` byte for byte, continuation lines included, then the blank line
// ("\r\n") that RFC 3501 section 6.4.5 says ends the returned header.
std::string header_fields(
    std::string_view header_block, const std::vector<std::string>& names, bool negate
);

}  // namespace govmail::mime
