#pragma once

// The text SEARCH BODY/TEXT matches against, extracted once at delivery.

#include <cstddef>
#include <string>
#include <string_view>

#include "mime/entity.hpp"

namespace govmail::mime {

constexpr std::size_t kMaxSearchText = 1024 * 1024;

// The text/* parts of `message` (including those inside attached messages), transfer-decoded
// and converted to UTF-8, separated by "\n", cut to at most `limit` bytes on a character
// boundary, NUL bytes as spaces. Only as much of each body is decoded as can still fit.
std::string search_text(std::string_view raw, const Entity& message, std::size_t limit);

}  // namespace govmail::mime
