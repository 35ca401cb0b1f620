#pragma once

// Text files from Korean administrative systems come as UTF-8 (with or without a byte order
// mark) or as CP949 (EUC-KR's superset, what Excel on Korean Windows saves). Input that is
// valid UTF-8 is taken as UTF-8; anything else is converted from CP949 with iconv.

#include <cstddef>
#include <string>
#include <string_view>

namespace govmail::admin {

struct DecodedText {
    std::string text;          // UTF-8, without a byte order mark
    std::string encoding;      // "UTF-8", "UTF-8 with BOM" or "CP949"; empty when undecodable
    std::size_t bad_line = 0;  // when undecodable: the first line neither encoding explains
};

DecodedText decode_text(std::string_view bytes);

}  // namespace govmail::admin
