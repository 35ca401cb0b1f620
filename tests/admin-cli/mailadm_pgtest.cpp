// mailadm as administrators and the integration tests run it: a subprocess with a config
// file naming the fixture database, checked by exit code, output and what it stored.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "auth/database_authenticator.hpp"
#include "tests/admin-cli/process_run.hpp"
#include "tests/support/async.hpp"
#include "tests/support/test_database.hpp"

namespace govmail::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Argon2 kept cheap: the tests check behaviour, not cost.
constexpr std::string_view kFastAuth =
    "[auth]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\nfailure_delay_ms = 1\n";

class MailadmTest : public ::testing::Test {
protected:
    MailadmTest()
        : dir_(
              fs::temp_directory_path() /
              ("mailadm-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))
          ) {
        fs::create_directories(dir_);
        config_ = dir_ / "govmail.conf";
        std::ofstream(config_) << "[database]\ndsn = " << test_dsn() << "\n" << kFastAuth;
    }
    ~MailadmTest() override { fs::remove_all(dir_); }

    // Runs mailadm --config CONFIG ARGS with INPUT on stdin.
    ProcessRun mailadm(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.begin(), {std::string(MAILADM_PATH), "--config", config_.string()});
        return spawn(args, input);
    }

    ProcessRun spawn(const std::vector<std::string>& args, const std::string& input) {
        return run_process(args, input, dir_);
    }

    json mailadm_json(std::vector<std::string> args) {
        args.insert(args.begin(), "--json");
        const auto run = mailadm(args);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return json::parse(run.out);
    }

    // Logs in through the authenticator the daemons use.
    auth::LoginResult login(const std::string& user, const std::string& secret) {
        boost::asio::io_context ioc;
        storage::Pool pool(ioc.get_executor(), storage::PoolOptions{test_dsn(), 2});
        AuthConfig config;
        config.argon2_time_cost = 1;
        config.argon2_memory_kib = 1024;
        config.failure_delay = std::chrono::milliseconds(1);
        auth::DatabaseAuthenticator authenticator(pool, config);
        auth::LoginAttempt attempt;
        attempt.user = user;
        attempt.secret = secret;
        attempt.source = boost::asio::ip::make_address("192.0.2.7");
        attempt.service = auth::Service::Imap;
        return run(ioc, authenticator.login(attempt));
    }

    std::string created_account() {
        const auto address = unique_address("adm");
        const auto run = mailadm(
            {"account", "create", address, "--name", "홍길동", "--force", "--reason", "test"}
        );
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return address;
    }

    static inline std::atomic<int> counter_{0};
    fs::path dir_;
    fs::path config_;
};

TEST_F(MailadmTest, CreateThenPasswordFromStdinLetsTheUserLogIn) {
    const auto address = unique_address("adm");
    const auto created = mailadm({"account", "create", address, "--service"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_NE(created.out.find("created " + address), std::string::npos) << created.out;

    const auto set = mailadm({"account", "password", address, "--stdin"}, "s3cret-pass\n");
    ASSERT_EQ(set.exit_code, 0) << set.err;
    EXPECT_EQ(set.out.find("s3cret-pass"), std::string::npos);

    EXPECT_TRUE(login(address, "s3cret-pass").account);
    EXPECT_FALSE(login(address, "s3cret-pasS").account);
}

TEST_F(MailadmTest, CreatedAccountHasStandardMailboxesAndShowsAsActive) {
    const auto address = created_account();
    const auto shown = mailadm_json({"account", "show", address});
    EXPECT_EQ(shown["address"], address);
    EXPECT_EQ(shown["state"], "active");
    EXPECT_EQ(shown["name"], "홍길동");
    EXPECT_EQ(shown["password"], false);
    EXPECT_EQ(shown["app_passwords"], 0);
}

TEST_F(MailadmTest, RefusalsExitWithOne) {
    const auto address = created_account();
    const auto again = mailadm({"account", "create", address});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
    EXPECT_EQ(mailadm({"account", "show", unique_address("missing")}).exit_code, 1);
    EXPECT_EQ(mailadm({"account", "create", "someone@elsewhere.example"}).exit_code, 1);
    EXPECT_EQ(mailadm({"account", "password", address, "--stdin"}, "short\n").exit_code, 1);
}

TEST_F(MailadmTest, UsageErrorsExitWithTwoAndHelpWithZero) {
    EXPECT_EQ(mailadm({"account", "frobnicate"}).exit_code, 2);
    EXPECT_EQ(mailadm({"account", "create"}).exit_code, 2);
    EXPECT_EQ(mailadm({"account", "list", "--state", "sleepy"}).exit_code, 2);
    EXPECT_EQ(mailadm({"audit", "show", "--since", "yesterday-ish"}).exit_code, 2);
    EXPECT_EQ(
        mailadm({"account", "password", "a@localhost", "--stdin", "--generate"}).exit_code, 2
    );
    for (const auto& command : std::vector<std::vector<std::string>>{
             std::vector<std::string>{},
             {"db", "migrate"},
             {"account", "create"},
             {"account", "password"},
             {"account", "list"},
             {"account", "show"},
             {"account", "suspend"},
             {"account", "resume"},
             {"app-password", "create"},
             {"app-password", "list"},
             {"app-password", "revoke"},
             {"audit", "show"}}) {
        auto args = command;
        args.push_back("--help");
        const auto run = mailadm(args);
        EXPECT_EQ(run.exit_code, 0) << args[0];
        EXPECT_NE(run.out.find("Usage:"), std::string::npos) << run.out;
    }
}

TEST_F(MailadmTest, UnreachableDatabaseExitsWithThree) {
    std::ofstream(config_) << "[database]\ndsn = host=/nonexistent dbname=none connect_timeout=2\n";
    const auto run = mailadm({"account", "list"});
    EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
}

TEST_F(MailadmTest, MigrateIsIdempotent) {
    const auto report = mailadm_json({"db", "migrate"});
    EXPECT_EQ(report["applied"], 0);
    EXPECT_GE(report["version"], 2);
}

TEST_F(MailadmTest, GeneratedPasswordIsPrintedOnceAndWorks) {
    const auto address = created_account();
    const auto generated = mailadm_json({"account", "password", address, "--generate"});
    const auto password = generated["password"].get<std::string>();
    EXPECT_EQ(password.size(), 24u);
    EXPECT_TRUE(login(address, password).account);
    EXPECT_EQ(mailadm_json({"account", "show", address})["password"], true);
}

TEST_F(MailadmTest, SuspendAndResumeMoveBetweenStatesOnlyFromTheRightOne) {
    const auto address = created_account();
    mailadm({"account", "password", address, "--stdin"}, "s3cret-pass\n");
    EXPECT_EQ(mailadm({"account", "suspend", address}).exit_code, 0);
    EXPECT_EQ(mailadm({"account", "suspend", address}).exit_code, 1);
    EXPECT_EQ(login(address, "s3cret-pass").failure_text, auth::kAccountInactiveText);
    const auto suspended = mailadm_json({"account", "list", "--state", "suspended"});
    EXPECT_TRUE(std::any_of(suspended.begin(), suspended.end(), [&](const json& a) {
        return a["address"] == address;
    }));
    EXPECT_EQ(mailadm({"account", "resume", address}).exit_code, 0);
    EXPECT_EQ(mailadm({"account", "resume", address}).exit_code, 1);
    EXPECT_TRUE(login(address, "s3cret-pass").account);
}

TEST_F(MailadmTest, AppPasswordCreateListRevoke) {
    const auto address = created_account();
    const auto created = mailadm_json({"app-password", "create", address, "--device", "iPhone"});
    const auto secret = created["password"].get<std::string>();
    EXPECT_EQ(mailadm({"app-password", "create", address, "--device", "iphone"}).exit_code, 1);
    EXPECT_TRUE(login(address, secret).account);

    const auto listed = mailadm_json({"app-password", "list", address});
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["device"], "iPhone");
    EXPECT_EQ(listed[0]["last_used_from"], "192.0.2.7");
    EXPECT_FALSE(listed[0]["last_used"].is_null());
    EXPECT_EQ(listed[0].dump().find(secret), std::string::npos);

    const auto id = std::to_string(created["id"].get<std::int64_t>());
    EXPECT_EQ(mailadm({"app-password", "revoke", address, id}).exit_code, 0);
    EXPECT_EQ(mailadm({"app-password", "revoke", address, id}).exit_code, 1);
    EXPECT_FALSE(login(address, secret).account);
}

// The portal's cap holds for mailadm too (selfservice/app_passwords.hpp).
TEST_F(MailadmTest, ADeviceNameOverOneHundredBytesIsAUsageError) {
    const auto address = created_account();
    const auto refused =
        mailadm({"app-password", "create", address, "--device", std::string(101, 'd')});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("longer than 100 bytes"), std::string::npos) << refused.err;
    EXPECT_TRUE(mailadm_json({"app-password", "list", address}).empty());
    EXPECT_EQ(
        mailadm({"app-password", "create", address, "--device", std::string(100, 'd')}).exit_code, 0
    );
}

TEST_F(MailadmTest, AdminActionsAndLoginsAreAudited) {
    const auto address = created_account();
    mailadm({"account", "password", address, "--stdin"}, "s3cret-pass\n");
    login(address, "wrong password");
    login(address, "s3cret-pass");
    const auto entries = mailadm_json({"audit", "show", "--account", address});
    std::vector<std::string> actions;
    for (const auto& entry : entries) {
        actions.push_back(entry["action"]);
        EXPECT_EQ(entry.dump().find("s3cret"), std::string::npos);
    }
    EXPECT_EQ(
        actions, (std::vector<std::string>{
                     "account.create", "account.password", "login.failure", "login.success"})
    );
    EXPECT_EQ(entries[0]["method"], "mailadm");
    EXPECT_EQ(entries[2]["source"], "192.0.2.7");
    const auto failures =
        mailadm_json({"audit", "show", "--account", address, "--action", "login.failure"});
    EXPECT_EQ(failures.size(), 1u);
    const auto text = mailadm({"audit", "show", "--account", address, "--limit", "1"});
    EXPECT_NE(text.out.find("login.success"), std::string::npos) << text.out;
    EXPECT_EQ(text.out.find("login.failure"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace govmail::test
