#include "admin-cli/text_encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <memory>

#include "common/utf8.hpp"

namespace govmail::admin {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

struct IconvClose {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// BYTES converted from CP949, or the offset of the first byte that is not CP949.
DecodedText from_cp949(std::string_view bytes) {
    const auto cd = iconv_open("UTF-8", "CP949");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return DecodedText{{}, {}, 1};
    }
    const std::unique_ptr<void, IconvClose> owner(cd);
    std::string out(bytes.size() * 3 / 2 + 16, '\0');
    auto* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    auto* to = out.data();
    std::size_t to_left = out.size();
    // CP949 maps into the BMP: at most 3 UTF-8 bytes for its 2-byte characters, so OUT never
    // fills.
    if (iconv(cd, &in, &in_left, &to, &to_left) == static_cast<std::size_t>(-1)) {
        const auto offset = static_cast<std::size_t>(in - bytes.data());
        const auto line =
            1 + static_cast<std::size_t>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
        return DecodedText{{}, {}, line};
    }
    out.resize(out.size() - to_left);
    return DecodedText{std::move(out), "CP949", 0};
}

}  // namespace

DecodedText decode_text(std::string_view bytes) {
    if (bytes.starts_with(kBom) && is_valid_utf8(bytes.substr(kBom.size()))) {
        return DecodedText{std::string(bytes.substr(kBom.size())), "UTF-8 with BOM", 0};
    }
    if (is_valid_utf8(bytes)) {
        return DecodedText{std::string(bytes), "UTF-8", 0};
    }
    return from_cp949(bytes);
}

}  // namespace govmail::admin
