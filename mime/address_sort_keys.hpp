#pragma once

// The address sort keys of SORT: FROM, TO and CC (RFC 5256 section 3: the addr-mailbox of the
// first address) and DISPLAYFROM and DISPLAYTO (RFC 5957: the first address's display name, or
// its addr-spec when it has none). Both folded with casemap_fold (mime/base_subject.hpp).
// Pure functions over untrusted header text; nothing throws.

#include <string>
#include <string_view>

namespace govmail::mime {

// ADDRESS_LIST is a From, To or Cc value decoded to UTF-8; "" when it holds no mailbox.
std::string mailbox_sort_key(std::string_view address_list);
std::string display_sort_key(std::string_view address_list);

}  // namespace govmail::mime
