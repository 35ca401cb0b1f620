#pragma once

// Percent-encoding of URL query values (RFC 3986 section 2.1): every byte but the unreserved
// characters becomes %XX, so the result is safe in any query component.

#include <string>
#include <string_view>

namespace govmail {

std::string percent_encode(std::string_view text);

}  // namespace govmail
