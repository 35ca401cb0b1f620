#include "selfservice/csv_writer.hpp"

#include <algorithm>

namespace govmail::selfservice {
namespace {

// A phone number such as "+82 2-123-4567" is data, not a formula.
bool looks_like_number(std::string_view value) {
    return std::all_of(value.begin() + 1, value.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.';
    });
}

bool starts_formula(std::string_view value) {
    if (value.empty()) {
        return false;
    }
    switch (value.front()) {
        case '=':
        case '@':
        case '\t':
        case '\r':
            return true;
        case '+':
        case '-':
            return !looks_like_number(value);
        default:
            return false;
    }
}

}  // namespace

std::string csv_cell(std::string_view value) {
    std::string text = starts_formula(value) ? "'" + std::string(value) : std::string(value);
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

std::string csv_record(const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            line += ',';
        }
        line += csv_cell(cells[i]);
    }
    return line + "\r\n";
}

}  // namespace govmail::selfservice
