#pragma once

// The embedded database: with no DSN configured, the suite keeps its own PostgreSQL cluster
// under var/ using the distribution's server binaries (initdb, pg_ctl, postgres). It listens
// on a Unix socket in var/ and, for the suite, on loopback; it authenticates with a random
// password made at creation and kept in a libpq password file readable only by us. When we
// run as root the cluster runs as an unprivileged system user (PostgreSQL refuses root).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/process.hpp"

namespace govmail::storage {

struct EmbeddedPostgresOptions {
    std::filesystem::path root;      // e.g. var/db: holds data/, run/, pgpass, server.log
    std::uint16_t port = 15432;      // also names the Unix socket
    bool listen_on_loopback = true;  // false: Unix socket only (tests)
    std::string run_as;              // system user when we are root; empty: "postgres"
    std::string database = "govmail";
    std::string extra_server_options;  // appended to postgres's command line (tests: fsync)
};

class EmbeddedPostgres {
public:
    explicit EmbeddedPostgres(EmbeddedPostgresOptions options);

    // Creates the cluster if var/ holds none (initdb), starts it unless running, and creates
    // the suite's database. Throws std::runtime_error with the log's path on failure.
    void start();
    void stop();
    bool running() const;

    // A libpq connection string for DATABASE (default: the suite's).
    std::string dsn(const std::string& database = {}) const;

    // Creates DATABASE if it does not exist (tests use one per binary).
    void create_database(const std::string& database) const;

    const std::filesystem::path& log_file() const { return log_file_; }

private:
    void initialize();
    int pg_ctl(const std::vector<std::string>& args) const;

    EmbeddedPostgresOptions options_;
    std::filesystem::path bin_dir_;
    std::filesystem::path data_dir_;
    std::filesystem::path socket_dir_;
    std::filesystem::path password_file_;
    std::filesystem::path log_file_;
    std::optional<SystemUser> server_user_;
};

// The directory with the newest installed PostgreSQL server binaries, e.g.
// /usr/lib/postgresql/15/bin. Throws std::runtime_error when none is installed.
std::filesystem::path find_postgres_bin_dir();

}  // namespace govmail::storage
