#include "tests/admin-cli/own_database_test.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include "tests/support/test_database.hpp"

namespace govmail::test {
namespace {

namespace fs = std::filesystem;

std::atomic<int> counter{0};

// Runs a statement that cannot be prepared (CREATE/DROP DATABASE) on the suite database.
void run_on_suite_database(const std::string& statement) {
    PGconn* conn = PQconnectdb(test_dsn().c_str());
    PGresult* r = PQexec(conn, statement.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    EXPECT_TRUE(ok) << statement << ": " << PQerrorMessage(conn);
    PQclear(r);
    PQfinish(conn);
}

}  // namespace

OwnDatabaseTest::OwnDatabaseTest()
    : dir_(
          fs::temp_directory_path() /
          ("mailadm-db-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++))
      ),
      database_("mailadm_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)) {
    fs::create_directories(dir_);
    run_on_suite_database("CREATE DATABASE " + database_);
    dsn_ = test_dsn() + " dbname=" + database_;
    configure("");
    const auto migrated = mailadm({"db", "migrate"});
    EXPECT_EQ(migrated.exit_code, 0) << migrated.err;
    conn_ = PQconnectdb(dsn_.c_str());
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
}

OwnDatabaseTest::~OwnDatabaseTest() {
    PQfinish(conn_);
    run_on_suite_database("DROP DATABASE " + database_ + " WITH (FORCE)");
    fs::remove_all(dir_);
}

void OwnDatabaseTest::configure(const std::string& extra) {
    config_ = dir_ / "govmail.conf";
    std::ofstream(config_) << "[database]\ndsn = " << dsn_
                           << "\n[auth]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\n"
                           << extra;
}

ProcessRun OwnDatabaseTest::mailadm(std::vector<std::string> args, const std::string& input) {
    args.insert(args.begin(), {std::string(MAILADM_PATH), "--config", config_.string()});
    return run_process(args, input, dir_);
}

nlohmann::json OwnDatabaseTest::mailadm_json(std::vector<std::string> args, int exit_code) {
    args.insert(args.begin(), "--json");
    const auto run = mailadm(args);
    EXPECT_EQ(run.exit_code, exit_code) << run.out << run.err;
    return nlohmann::json::parse(run.out, nullptr, false);
}

PGresult* OwnDatabaseTest::exec(const std::string& query, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) {
        values.push_back(p.c_str());
    }
    PGresult* r = PQexecParams(
        conn_, query.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
        nullptr, 0
    );
    const auto status = PQresultStatus(r);
    EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
        << query << ": " << PQerrorMessage(conn_);
    return r;
}

std::string OwnDatabaseTest::sql(const std::string& query, const std::vector<std::string>& params) {
    PGresult* r = exec(query, params);
    std::string value = PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return value;
}

int OwnDatabaseTest::sql_rows(const std::string& query, const std::vector<std::string>& params) {
    PGresult* r = exec(query, params);
    const int rows = PQntuples(r);
    PQclear(r);
    return rows;
}

fs::path OwnDatabaseTest::write_file(const std::string& name, const std::string& content) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

fs::path OwnDatabaseTest::to_cp949(const fs::path& file) {
    const auto out = fs::path(file.string() + ".cp949");
    const auto run = run_process(
        {"iconv", "-f", "UTF-8", "-t", "CP949", "-o", out.string(), file.string()}, "", dir_
    );
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return out;
}

}  // namespace govmail::test
