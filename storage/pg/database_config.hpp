#pragma once

// From the suite's configuration to a database: the configured DSN, or the embedded cluster
// under var/db when none is configured.

#include <string>

#include "common/config.hpp"
#include "storage/pg/embedded_postgres.hpp"
#include "storage/pg/pool.hpp"

namespace govmail::storage {

EmbeddedPostgresOptions embedded_options(const Config& config);

// True when the suite runs its own cluster (no database.dsn configured).
bool uses_embedded_database(const Config& config);

// The DSN daemons and mailadm connect with.
std::string database_dsn(const Config& config);

// A daemon's connection pool: that DSN, database.pool_size connections, database's deadline.
// With SHARDS, the options of each of that many pools sharing database.pool_size (rounded
// up, at least one each).
PoolOptions daemon_pool_options(const Config& config, std::size_t shards = 1);

}  // namespace govmail::storage
