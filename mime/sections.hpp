#pragma once

// Section numbering of a MIME tree (RFC 3501 section 6.4.5).

#include <vector>

#include "mime/entity.hpp"
#include "mime/parts.hpp"

namespace govmail::mime {

// The spans of `message` and of every part in it, in tree order, the whole message first.
std::vector<PartSpan> number_sections(const Entity& message);

}  // namespace govmail::mime
