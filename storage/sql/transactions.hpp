#pragma once

// Transaction control as statements, for the steps of a pipeline (Connection::execute_pipeline),
// where simple-query SQL text cannot be sent.

#include "storage/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kBegin{"begin", "BEGIN"};
inline constexpr Statement kCommit{"commit", "COMMIT"};

}  // namespace govmail::storage::sql
