// libFuzzer target for application/x-www-form-urlencoded bodies and query strings as the portal
// decodes them: portal::decode_form() and decode_form_all().
// Invariants: no field has an empty name; each field's value is the first of
// decode_form_all() for its name; decoding never makes a name or value longer than the input;
// the fields encoded again (common percent_encode) decode back to the same fields.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/percent_encoding.hpp"
#include "portal/form.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using govmail::fuzz::check;
    namespace portal = govmail::portal;
    const std::string_view body = govmail::fuzz::as_text(data, size);

    const auto fields = portal::decode_form(body);
    std::string encoded;
    for (const auto& [name, value] : fields) {
        check(!name.empty(), "no field has an empty name");
        check(name.size() <= size && value.size() <= size, "decoding never grows the text");
        const auto all = portal::decode_form_all(body, name);
        check(!all.empty() && all.front() == value, "a repeated field keeps its first value");
        if (!encoded.empty()) {
            encoded += '&';
        }
        encoded += govmail::percent_encode(name) + "=" + govmail::percent_encode(value);
    }
    check(portal::decode_form(encoded) == fields, "encoded fields decode back to themselves");
    return 0;
}
