#pragma once

// A fixture for mailadm tests that change organisation-wide state (the directory): each test
// gets its own database in the fixture cluster, migrated by `mailadm db migrate`, and runs
// mailadm as a subprocess against it.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/admin-cli/process_run.hpp"

namespace govmail::test {

class OwnDatabaseTest : public ::testing::Test {
protected:
    OwnDatabaseTest();
    ~OwnDatabaseTest() override;

    // Rewrites the configuration: the database, cheap Argon2 and EXTRA (INI lines).
    void configure(const std::string& extra);

    // mailadm --config CONFIG ARGS, with INPUT on stdin.
    ProcessRun mailadm(std::vector<std::string> args, const std::string& input = "");
    // mailadm --json ARGS, expecting EXIT_CODE; its output parsed.
    nlohmann::json mailadm_json(std::vector<std::string> args, int exit_code = 0);

    // The first cell of QUERY's result ("" for none or NULL), run on the test's database.
    std::string sql(const std::string& query, const std::vector<std::string>& params = {});
    // How many rows QUERY returns.
    int sql_rows(const std::string& query, const std::vector<std::string>& params = {});

    std::filesystem::path write_file(const std::string& name, const std::string& content);
    // NAME converted from UTF-8 to CP949 with iconv(1), as NAME.cp949.
    std::filesystem::path to_cp949(const std::filesystem::path& file);

    std::filesystem::path dir_;
    std::filesystem::path config_;
    std::string database_;
    std::string dsn_;
    PGconn* conn_ = nullptr;

private:
    PGresult* exec(const std::string& query, const std::vector<std::string>& params);
};

}  // namespace govmail::test
