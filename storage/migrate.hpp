#pragma once

// Brings a database's schema up to date: applies, in order and in one transaction, every
// migration it has not had. Safe to run from several processes at once and to repeat.

#include <boost/asio/awaitable.hpp>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/connection.hpp"

namespace govmail::storage {

struct MigrationReport {
    int applied = 0;          // how many migrations this call applied
    int current_version = 0;  // the schema version afterwards
};

// When it applies anything, AUDIT's entry for the report commits with the migrations; an
// empty AUDIT writes none (the suite's own start and test set-ups, no administrator's change).
boost::asio::awaitable<Result<MigrationReport>> migrate(
    Connection& conn, const AuditOf<MigrationReport>& audit
);

}  // namespace govmail::storage
