#include "admin-cli/outcome.hpp"

#include <algorithm>
#include <ctime>
#include <vector>

#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

std::string cell(const Json& value) {
    if (value.is_null()) {
        return "-";
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "yes" : "no";
    }
    return value.dump();
}

// East Asian wide code points (Hangul, CJK, fullwidth forms) take two terminal columns.
bool is_wide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6);
}

// Terminal columns S takes (S is valid UTF-8: it comes from the database or our own text).
std::size_t width(const std::string& s) {
    std::size_t columns = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        char32_t c = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t k = 1; k < length && i + k < s.size(); ++k) {
            c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        columns += is_wide(c) ? 2 : 1;
        i += length;
    }
    return columns;
}

void print_table(const Json& rows, std::ostream& out) {
    if (rows.empty()) {
        out << "(none)\n";
        return;
    }
    std::vector<std::string> columns;
    for (const auto& item : rows.front().items()) {
        columns.push_back(item.key());
    }
    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> widths;
    for (const auto& column : columns) {
        widths.push_back(width(column));
    }
    for (const auto& row : rows) {
        auto& line = cells.emplace_back();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            line.push_back(cell(row.value(columns[i], Json())));
            widths[i] = std::max(widths[i], width(line.back()));
        }
    }
    auto print_line = [&](const std::vector<std::string>& line) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            out << line[i];
            if (i + 1 < line.size()) {
                out << std::string(widths[i] - width(line[i]) + 2, ' ');
            }
        }
        out << '\n';
    };
    print_line(columns);
    for (const auto& line : cells) {
        print_line(line);
    }
}

// A list of records (a sync's changes), which reads as a table of its own.
bool is_table(const Json& value) {
    return value.is_array() && !value.empty() && value.front().is_object();
}

// OBJECT as key: value lines, then each of its lists of records as a table under its key.
void print_fields(const Json& object, std::ostream& out) {
    std::size_t key_width = 0;
    for (const auto& item : object.items()) {
        if (!is_table(item.value())) {
            key_width = std::max(key_width, item.key().size());
        }
    }
    for (const auto& item : object.items()) {
        if (!is_table(item.value())) {
            out << item.key() << ':' << std::string(key_width - item.key().size() + 1, ' ')
                << cell(item.value()) << '\n';
        }
    }
    for (const auto& item : object.items()) {
        if (is_table(item.value())) {
            out << '\n' << item.key() << ":\n";
            print_table(item.value(), out);
        }
    }
}

}  // namespace

Outcome refused(std::string message) { return Outcome{ExitCode::Refused, std::move(message), {}}; }

Outcome usage_error(std::string message) {
    return Outcome{ExitCode::Usage, std::move(message), {}};
}

Outcome storage_failure(boost::system::error_code ec, const std::string& what) {
    using storage::Errc;
    if (ec == make_error_code(Errc::NotFound)) {
        return refused(what + ": not found");
    }
    if (ec == make_error_code(Errc::Exists)) {
        return refused(what + ": already exists");
    }
    if (ec == make_error_code(Errc::InvalidData)) {
        return usage_error(what + ": invalid value");
    }
    return Outcome{ExitCode::Error, what + ": " + ec.message(), {}};
}

std::string iso_time(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(text, length);
}

void print_outcome(const Outcome& outcome, bool json, std::ostream& out, std::ostream& err) {
    const bool ok = outcome.code == ExitCode::Ok;
    if (json) {
        if (!outcome.data.is_null()) {
            out << outcome.data.dump(2) << '\n';
        } else {
            out << Json{{ok ? "message" : "error", outcome.message}}.dump(2) << '\n';
        }
        return;
    }
    if (outcome.data.is_array()) {
        print_table(outcome.data, out);
    } else if (outcome.data.is_object()) {
        print_fields(outcome.data, out);
    }
    if (!outcome.message.empty()) {
        (ok ? out : err) << (ok ? "" : "mailadm: ") << outcome.message << '\n';
    }
}

}  // namespace govmail::admin
