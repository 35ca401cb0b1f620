#pragma once

// A named SQL statement. All SQL text lives in storage/sql/*.cpp as Statement constants and
// is prepared once per connection on first use.

#include <string_view>

namespace govmail::storage {

enum class ResultFormat { Text, Binary };

struct Statement {
    std::string_view name;
    std::string_view sql;
    ResultFormat result_format = ResultFormat::Text;  // Binary only for bytea-only results
};

}  // namespace govmail::storage
