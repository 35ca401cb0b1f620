#pragma once

// A query result owned RAII-style, with typed access to its cells.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::storage {

class PgResult {
public:
    PgResult() = default;
    explicit PgResult(PGresult* r) : result_(r) {}

    int rows() const { return result_ ? PQntuples(result_.get()) : 0; }
    bool empty() const { return rows() == 0; }
    bool is_null(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }

    std::string_view text(int row, int col) const;
    std::int64_t int64(int row, int col) const;
    bool boolean(int row, int col) const;
    // A bytea column fetched in binary result format.
    std::string_view bytes(int row, int col) const { return text(row, col); }
    // A text[] column in PostgreSQL's array literal form, decoded.
    std::vector<std::string> text_array(int row, int col) const;
    std::optional<std::string> optional_text(int row, int col) const;
    // Column COL of every row, as text.
    std::vector<std::string> column_text(int col) const;

private:
    struct Clear {
        void operator()(PGresult* r) const { PQclear(r); }
    };
    std::unique_ptr<PGresult, Clear> result_;
};

// Decodes a PostgreSQL text-format array literal such as {a,"b c",NULL}; NULL elements are
// skipped. Throws nothing; malformed input gives the elements read so far.
std::vector<std::string> decode_text_array(std::string_view literal);

// Encodes VALUES as a text-format array literal, every element quoted and escaped.
std::string encode_text_array(const std::vector<std::string>& values);

}  // namespace govmail::storage
