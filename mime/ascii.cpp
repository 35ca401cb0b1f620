#include "mime/ascii.hpp"

namespace govmail::mime {
namespace {

constexpr bool is_space(char c) { return is_wsp(c) || c == '\r' || c == '\n'; }

}  // namespace

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace govmail::mime
