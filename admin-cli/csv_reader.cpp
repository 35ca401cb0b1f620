#include "admin-cli/csv_reader.hpp"

namespace govmail::admin {
namespace {

// Reads records one at a time from the text, counting lines.
class CsvParser {
public:
    explicit CsvParser(std::string_view text) : text_(text) {}

    bool done() const { return pos_ >= text_.size(); }

    // The next record, or an error; either way the position moves past it.
    void next(CsvContent& out) {
        CsvRecord record{line_, {}};
        std::string field;
        bool quoted_field = false;
        std::string error;
        while (pos_ < text_.size()) {
            const char c = text_[pos_++];
            if (c == '"' && field.empty() && !quoted_field) {
                quoted_field = true;
                if (!read_quoted(field)) {
                    error = "quoted field is not closed";
                }
            } else if (c == ',') {
                record.fields.push_back(std::move(field));
                field.clear();
                quoted_field = false;
            } else if (c == '\n' || c == '\r') {
                end_line(c);
                break;
            } else if (quoted_field) {
                error = "text after a closing quote";
            } else {
                field += c;
            }
        }
        record.fields.push_back(std::move(field));
        if (!error.empty()) {
            out.errors.push_back(LineError{record.line, error});
        } else if (record.fields.size() > 1 || !record.fields.front().empty()) {
            out.records.push_back(std::move(record));
        }
    }

private:
    // After an opening quote: up to the closing one; false when the text ends first.
    bool read_quoted(std::string& field) {
        while (pos_ < text_.size()) {
            const char c = text_[pos_++];
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    field += '"';
                    ++pos_;
                    continue;
                }
                return true;
            }
            if (c == '\n') {
                ++line_;
            }
            field += c;
        }
        return false;
    }

    void end_line(char c) {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') {
            ++pos_;
        }
        ++line_;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

}  // namespace

CsvContent read_csv(std::string_view text) {
    CsvContent out;
    CsvParser parser(text);
    while (!parser.done()) {
        parser.next(out);
    }
    return out;
}

}  // namespace govmail::admin
