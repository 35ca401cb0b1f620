#pragma once

// The schema, as an ordered list of versioned migrations. A migration is never edited once
// released: a change is a new entry at the end.

#include <span>
#include <string_view>

namespace govmail::storage::sql {

struct Migration {
    int version;
    std::string_view description;
    std::string_view script;
};

std::span<const Migration> migrations();

}  // namespace govmail::storage::sql
