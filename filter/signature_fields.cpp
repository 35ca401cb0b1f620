// DKIM-Signature header lines from rspamd's answer (filter/signature_fields.hpp).

#include "filter/signature_fields.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "common/ascii.hpp"

namespace govmail::filter {
namespace {

// VALUE with every line break made CRLF, or nullopt when a continuation line does not start
// with whitespace or a control character other than a break or tab is in it.
std::optional<std::string> folded_value(std::string_view value) {
    std::string out;
    bool line_start = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < value.size() && value[i + 1] == '\n') {
                ++i;
            }
            out += "\r\n";
            line_start = true;
            continue;
        }
        if (line_start && c != ' ' && c != '\t') {
            return std::nullopt;
        }
        line_start = false;
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
            return std::nullopt;
        }
        out += c;
    }
    if (line_start || out.empty()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

std::string dkim_signature_fields(const Verdict& verdict) {
    std::string fields;
    for (const auto& signature : verdict.dkim_signatures) {
        if (const auto value = folded_value(signature)) {
            fields += "DKIM-Signature: " + *value + "\r\n";
        }
    }
    return fields;
}

std::string arc_set_fields(const Verdict& verdict) {
    static constexpr std::array<std::string_view, 3> kArcSet{
        "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results"};
    std::string fields;
    for (const auto name : kArcSet) {
        const auto found = std::ranges::find_if(verdict.added_fields, [name](const auto& field) {
            return ascii::iequals(field.name, name);
        });
        const auto value =
            found == verdict.added_fields.end() ? std::nullopt : folded_value(found->value);
        if (!value) {
            return "";
        }
        fields += std::string(name) + ": " + *value + "\r\n";
    }
    return fields;
}

}  // namespace govmail::filter
