#include "portal/next_path.hpp"

#include <algorithm>

#include "common/percent_encoding.hpp"

namespace govmail::portal {
namespace {

// Printable ASCII but the backslash; a space or a control character never reaches a Location.
bool allowed_character(char c) { return c > ' ' && c < 0x7f && c != '\\'; }

}  // namespace

std::string safe_next(std::string_view candidate) {
    const bool local = candidate.size() <= kMaxNextLength && candidate.starts_with('/') &&
                       !candidate.starts_with("//") &&
                       std::ranges::all_of(candidate, allowed_character);
    return local ? std::string(candidate) : std::string("/");
}

std::string with_next(std::string_view path, std::string_view next) {
    const auto checked = safe_next(next);
    if (checked == "/") {
        return std::string(path);
    }
    return std::string(path) + "?next=" + percent_encode(checked);
}

}  // namespace govmail::portal
