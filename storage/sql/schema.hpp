#pragma once

// Statements that keep track of which migrations a database has had.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

inline constexpr Statement kCreateMigrationsTable{
    "create_migrations_table",
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, description text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())",
};
// Serialises migrators of several processes starting at once.
inline constexpr Statement kLockMigrations{
    "lock_migrations", "SELECT pg_advisory_xact_lock(7347160001)"};
inline constexpr Statement kAppliedVersions{
    "applied_versions", "SELECT version FROM schema_migrations ORDER BY version"};
inline constexpr Statement kRecordMigration{
    "record_migration", "INSERT INTO schema_migrations (version, description) VALUES ($1, $2)"};

}  // namespace govmail::storage::sql
