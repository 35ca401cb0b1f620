#pragma once

// The database the pg tests use: the embedded cluster the CTest fixture `pg` started under
// GOVMAIL_TEST_PG_ROOT (see test_db_main.cpp). Tests share it and stay apart by creating
// their own accounts with unique addresses.

#include <string>

#include "storage/pg/embedded_postgres.hpp"

namespace govmail::test {

inline constexpr std::uint16_t kTestPgPort = 15433;

// Options for the test cluster under ROOT: Unix socket only, no fsync wait (a crashed test
// machine loses nothing that matters), a per-cluster port that only names the socket.
storage::EmbeddedPostgresOptions test_cluster_options(const std::string& root);

// The DSN of the suite database in the fixture's cluster. Fails the test when the fixture
// is not running.
std::string test_dsn();

// A fresh mail address, unique across test processes and runs.
std::string unique_address(const std::string& prefix = "user");

}  // namespace govmail::test
