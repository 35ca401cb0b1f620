#include "storage/pg/pg_result.hpp"

#include <charconv>

namespace govmail::storage {

std::string_view PgResult::text(int row, int col) const {
    return {
        PQgetvalue(result_.get(), row, col),
        static_cast<std::size_t>(PQgetlength(result_.get(), row, col))};
}

std::int64_t PgResult::int64(int row, int col) const {
    const auto t = text(row, col);
    std::int64_t value = 0;
    std::from_chars(t.data(), t.data() + t.size(), value);
    return value;
}

bool PgResult::boolean(int row, int col) const { return text(row, col) == "t"; }

std::vector<std::string> PgResult::text_array(int row, int col) const {
    return decode_text_array(text(row, col));
}

std::optional<std::string> PgResult::optional_text(int row, int col) const {
    if (is_null(row, col)) {
        return std::nullopt;
    }
    return std::string(text(row, col));
}

std::vector<std::string> PgResult::column_text(int col) const {
    std::vector<std::string> values;
    for (int row = 0; row < rows(); ++row) {
        values.emplace_back(text(row, col));
    }
    return values;
}

std::vector<std::string> decode_text_array(std::string_view literal) {
    std::vector<std::string> out;
    if (literal.size() < 2 || literal.front() != '{' || literal.back() != '}') {
        return out;
    }
    const auto body = literal.substr(1, literal.size() - 2);
    std::size_t i = 0;
    while (i < body.size()) {
        std::string element;
        bool quoted = false;
        if (body[i] == '"') {
            quoted = true;
            ++i;
            while (i < body.size() && body[i] != '"') {
                if (body[i] == '\\' && i + 1 < body.size()) {
                    ++i;
                }
                element.push_back(body[i]);
                ++i;
            }
            ++i;  // closing quote
        } else {
            while (i < body.size() && body[i] != ',') {
                element.push_back(body[i]);
                ++i;
            }
        }
        if (quoted || element != "NULL") {
            out.push_back(std::move(element));
        }
        ++i;  // comma
    }
    return out;
}

std::string encode_text_array(const std::vector<std::string>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        out.push_back('"');
        for (const char c : values[i]) {
            if (c == '"' || c == '\\') {
                out.push_back('\\');
            }
            out.push_back(c);
        }
        out.push_back('"');
    }
    out.push_back('}');
    return out;
}

}  // namespace govmail::storage
