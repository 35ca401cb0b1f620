#include "admin-cli/ldif_reader.hpp"

#include <algorithm>
#include <optional>

#include "common/ascii.hpp"
#include "common/base64.hpp"

namespace govmail::admin {
namespace {

struct Line {
    std::size_t number = 0;
    std::string text;  // continuation lines unfolded into it
};

// The logical lines of TEXT (folded lines joined, comments dropped); an empty text marks
// the blank line between entries.
std::vector<Line> logical_lines(std::string_view text) {
    std::vector<Line> lines;
    std::size_t number = 0;
    bool in_comment = false;
    while (!text.empty()) {
        ++number;
        const auto eol = text.find('\n');
        auto raw = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (raw.ends_with('\r')) {
            raw.remove_suffix(1);
        }
        if (raw.starts_with(' ')) {
            if (!in_comment && !lines.empty() && !lines.back().text.empty()) {
                lines.back().text += raw.substr(1);
            }
            continue;
        }
        in_comment = raw.starts_with('#');
        if (!in_comment) {
            lines.push_back(Line{number, std::string(raw)});
        }
    }
    return lines;
}

// "attr: value", "attr:: base64": the attribute (lower case, options dropped) and value.
std::optional<std::pair<std::string, std::string>> attribute(const Line& line, std::string& error) {
    const auto colon = line.text.find(':');
    if (colon == std::string::npos || colon == 0) {
        error = "expected 'attribute: value'";
        return std::nullopt;
    }
    auto name = ascii::lower(line.text.substr(0, colon));
    name = name.substr(0, name.find(';'));
    std::string_view rest = std::string_view(line.text).substr(colon + 1);
    if (rest.starts_with('<')) {
        error = "values by URL are not supported";
        return std::nullopt;
    }
    const bool base64 = rest.starts_with(':');
    rest.remove_prefix(base64 ? 1 : 0);
    rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
    if (!base64) {
        return std::make_pair(name, std::string(rest));
    }
    auto decoded = decode_base64_strict(rest);
    if (!decoded) {
        error = "bad base64 value of " + name;
        return std::nullopt;
    }
    return std::make_pair(name, std::move(*decoded));
}

}  // namespace

LdifContent read_ldif(std::string_view text) {
    LdifContent out;
    LdifEntry entry;
    std::optional<LineError> error;  // the entry's first
    auto fail = [&](std::size_t line, std::string message) {
        if (!error) {
            error = LineError{line, std::move(message)};
        }
    };
    auto finish = [&] {
        if (error) {
            out.errors.push_back(std::move(*error));
        } else if (!entry.attributes.empty()) {
            out.entries.push_back(std::move(entry));
        }
        entry = LdifEntry{};
        error.reset();
    };
    for (const auto& line : logical_lines(text)) {
        if (line.text.empty()) {
            finish();
            continue;
        }
        if (entry.attributes.empty()) {
            entry.line = line.number;
        }
        std::string problem;
        auto pair = attribute(line, problem);
        if (!pair) {
            fail(line.number, problem);
            continue;
        }
        if (pair->first == "version" && entry.attributes.empty()) {
            continue;
        }
        if (pair->first == "changetype" && ascii::lower(pair->second) != "add") {
            fail(
                line.number, "change records (changetype: " + pair->second + ") are not supported"
            );
        }
        if (entry.attributes.empty() && pair->first != "dn") {
            fail(line.number, "an entry must start with dn:");
        }
        entry.attributes.push_back(std::move(*pair));
    }
    finish();
    return out;
}

bool looks_like_ldif(std::string_view text) {
    for (const auto& line : logical_lines(text)) {
        if (!line.text.empty()) {
            const auto start = ascii::lower(line.text.substr(0, 8));
            return start.starts_with("dn:") || start.starts_with("version:");
        }
    }
    return false;
}

}  // namespace govmail::admin
