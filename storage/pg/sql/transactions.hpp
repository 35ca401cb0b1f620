#pragma once

// Transaction control as statements, for the steps of a pipeline (Connection::execute_pipeline),
// where simple-query SQL text cannot be sent, and the questions asked about a transaction
// whose COMMIT went unanswered.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kBegin{"begin", "BEGIN"};
inline constexpr Statement kCommit{"commit", "COMMIT"};
// This transaction's COMMIT returns before its WAL is flushed (PostgreSQL's asynchronous commit).
inline constexpr Statement kAsynchronousCommit{
    "asynchronous_commit", "SELECT set_config('synchronous_commit', 'off', true)"};

// The id of the open transaction, or NULL while it has written nothing.
inline constexpr Statement kCurrentTransactionId{
    "current_transaction_id", "SELECT pg_current_xact_id_if_assigned()::text"};

// 'committed', 'aborted' or 'in progress' for $1, a transaction id read as above.
inline constexpr Statement kTransactionStatus{
    "transaction_status", "SELECT pg_xact_status($1::xid8)"};

}  // namespace govmail::storage::sql
