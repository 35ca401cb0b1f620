#pragma once

// COMMIT, sent in one flight with the steps before it, and a definite answer when the
// connection is lost before COMMIT's reply arrives (a database restart can end a backend
// right after its commit became durable). The flight also reads the transaction's id; when
// COMMIT's reply is missing, a fresh connection asks PostgreSQL whether that transaction
// committed. A daemon answers OK or 250 only when it did, and a temporary refusal only when it
// did not: a refusal of a stored message would make the client send it again and store it
// twice.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/pg/connection.hpp"
#include "storage/pg/pool.hpp"

namespace govmail::storage {

enum class TransactionEnd { Committed, Aborted };

// Whether what a transaction wrote is there, asked over CONN once PostgreSQL says a transaction
// with its id committed. After a crash PostgreSQL hands out again the ids of transactions it
// lost, so that "committed" can be another transaction's; a check that looks for the rows
// the transaction wrote (from RESULTS, those of its steps) tells the two apart.
using EffectCheck = std::function<boost::asio::awaitable<Result<TransactionEnd>>(
    Connection& conn, const std::vector<PgResult>& results
)>;

// Runs STEPS, then COMMIT, on CONN (inside a transaction STEPS or an earlier BEGIN opened) and
// returns the results of STEPS once the transaction is known to have committed; InDoubt when
// the reply to COMMIT was lost and the pool's commit_patience ran out before PostgreSQL could
// say (then the caller must not answer either way: a daemon ends the session unanswered). On
// a failing step CONN is left in the aborted transaction, as execute_pipeline leaves it.
// Without CHECK a committed status is taken as it is (see EffectCheck for what that risks
// after a crash).
boost::asio::awaitable<Result<std::vector<PgResult>>> commit_in_flight(
    Pool& pool, Connection& conn, std::span<const PipelineStep> steps, EffectCheck check = {}
);

// How transaction XID ended, asked over connections of its own (the pool's may all be taken by
// sessions waiting for this answer) until it has ended or PATIENCE runs out (Unavailable: the
// database stayed out of reach, or the transaction still runs). An id PostgreSQL calls "in
// the future" was lost in a crash: Aborted. When it says committed, CONFIRM (if any) has the
// last word.
boost::asio::awaitable<Result<TransactionEnd>> transaction_end(
    Pool& pool,
    std::string xid,
    std::chrono::milliseconds patience,
    const std::function<boost::asio::awaitable<Result<TransactionEnd>>(Connection&)>& confirm = {}
);

}  // namespace govmail::storage
