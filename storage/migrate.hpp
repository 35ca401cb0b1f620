#pragma once

// Brings a database's schema up to date: applies, in order and in one transaction, every
// migration it has not had. Safe to run from several processes at once and to repeat.

#include <boost/asio/awaitable.hpp>

#include "common/result.hpp"
#include "storage/pg/connection.hpp"

namespace govmail::storage {

struct MigrationReport {
    int applied = 0;          // how many migrations this call applied
    int current_version = 0;  // the schema version afterwards
};

boost::asio::awaitable<Result<MigrationReport>> migrate(Connection& conn);

}  // namespace govmail::storage
