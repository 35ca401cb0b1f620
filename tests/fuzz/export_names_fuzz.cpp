// libFuzzer target for the export's mailbox-name-to-folder mapping, export_folder(), as the
// export worker runs it over every mailbox of an account (the names are the user's: any
// bytes IMAP CREATE or RENAME let through). The input's first byte separates the mailbox
// names in the rest, so every byte value can occur in a name. Invariants, for each folder:
// - a relative path: not empty, no leading '/', no empty, "." or ".." component;
// - no NUL, control character, backslash or other character a file system refuses, and
//   valid UTF-8;
// - no component ends in a dot or a space, or is a message file's name ("12.eml");
// - unique among the folders and "manifest.json", compared as export_folder() documents
//   (ASCII case-insensitively), so no two mailboxes share a folder.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "admin-cli/export_names.hpp"
#include "common/ascii.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::admin {
namespace {

using fuzz::check;

constexpr std::string_view kRefused = "<>:\"\\|?*";

bool valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t n = 1;
        std::uint32_t code = lead;
        if (lead >= 0xF0) {
            n = 4;
            code = lead & 0x07U;
        } else if (lead >= 0xE0) {
            n = 3;
            code = lead & 0x0FU;
        } else if (lead >= 0xC0) {
            n = 2;
            code = lead & 0x1FU;
        } else if (lead >= 0x80) {
            return false;
        }
        if (i + n > text.size()) {
            return false;
        }
        for (std::size_t k = 1; k < n; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) {
                return false;
            }
            code = (code << 6) | (next & 0x3FU);
        }
        const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < least[n] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            return false;
        }
        i += n;
    }
    return true;
}

bool is_message_name(std::string_view name) {
    const auto dot = name.find('.');
    if (dot == 0 || dot == std::string_view::npos) {
        return false;
    }
    return ascii::lower(name.substr(dot)) == ".eml" &&
           name.substr(0, dot).find_first_not_of("0123456789") == std::string_view::npos;
}

void check_component(std::string_view component) {
    check(!component.empty(), "no empty component");
    check(component != "." && component != "..", "no . or .. component");
    check(component.back() != '.' && component.back() != ' ', "no trailing dot or space");
    check(!is_message_name(component), "no component named like a message file");
    check(fuzz::free_of_controls(component), "no NUL or control character");
    check(
        component.find_first_of(kRefused) == std::string_view::npos,
        "no character a file system refuses"
    );
}

void check_folder(std::string_view folder) {
    check(!folder.empty() && folder.front() != '/', "a relative path");
    check(valid_utf8(folder), "valid UTF-8");
    for (std::size_t start = 0;;) {
        const auto end = folder.find('/', start);
        check_component(folder.substr(start, end - start));
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
}

}  // namespace
}  // namespace govmail::admin

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::admin;
    if (size == 0) {
        return 0;
    }
    const auto input = govmail::fuzz::as_text(data, size);
    const char separator = input.front();
    TakenNames taken{{"manifest.json"}, {}};  // as the export worker starts
    std::set<std::string> seen{"manifest.json"};
    for (std::size_t start = 1; start <= input.size();) {
        auto end = input.find(separator, start);
        if (end == std::string_view::npos) {
            end = input.size();
        }
        const auto folder = export_folder(input.substr(start, end - start), taken);
        check_folder(folder);
        check(seen.insert(govmail::ascii::lower(folder)).second, "every folder is unique");
        start = end + 1;
    }
    return 0;
}
