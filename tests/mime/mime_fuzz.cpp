// libFuzzer target for the MIME layer (-DGOVMAIL_FUZZ=ON, clang): parse() must never crash,
// its spans must stay inside the message, and the cached section list must round-trip.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mime/encoded_words.hpp"
#include "mime/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    const govmail::mime::ParsedMessage parsed = govmail::mime::parse(raw);
    for (const govmail::mime::PartSpan& part : parsed.parts) {
        if (part.header_begin > part.body_begin || part.body_begin > part.body_end ||
            part.body_end > size) {
            std::abort();
        }
    }
    if (govmail::mime::deserialize_parts(govmail::mime::serialize_parts(parsed.parts)) !=
        parsed.parts) {
        std::abort();
    }
    govmail::mime::decode_header_value(raw);
    return 0;
}
