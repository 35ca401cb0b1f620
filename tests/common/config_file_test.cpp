// Finding the configuration file (common/config_file.hpp) and reading it from any folder:
// --config, then GOVMAIL_CONFIG, then the installed file, then the checkout's conf/ found from
// the binary; a missing file is an error naming it; relative paths in a file are its folder's.

#include "common/config_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>  // mkdtemp

#include <fstream>

#include "common/config.hpp"

namespace govmail {
namespace {

namespace fs = std::filesystem;

class ConfigFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        char name[] = "/tmp/govmail-config-XXXXXX";
        ASSERT_NE(::mkdtemp(name), nullptr);
        dir_ = name;
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path write(const fs::path& relative, const std::string& text) {
        const auto file = dir_ / relative;
        fs::create_directories(file.parent_path());
        std::ofstream(file) << text;
        return file;
    }

    // A checkout with its configuration and a binary built in it.
    fs::path checkout_binary() {
        write("checkout/conf/govmail.conf", "");
        const auto binary = write("checkout/build/debug/bin/mailadm", "");
        return binary;
    }

    static bool installed_config_exists() { return fs::exists(kInstalledConfigFile); }

    fs::path dir_;
};

// What the message of the error FIND throws says.
template <class Find>
std::string error_of(Find find) {
    try {
        find();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "no error";
}

TEST_F(ConfigFileTest, GivenFileComesFirstThenTheEnvironment) {
    const auto given = write("given.conf", "");
    const auto from_env = write("env.conf", "");
    const auto binary = checkout_binary();
    EXPECT_EQ(find_config_file(given, from_env.c_str(), binary), given);
    EXPECT_EQ(find_config_file(std::nullopt, from_env.c_str(), binary), from_env);
}

TEST_F(ConfigFileTest, ANamedFileThatIsMissingIsAnErrorNamingIt) {
    const auto missing = dir_ / "missing.conf";
    const auto binary = checkout_binary();
    EXPECT_EQ(
        error_of([&] { find_config_file(missing, nullptr, binary); }),
        "configuration file " + missing.string() + " (--config) not found"
    );
    EXPECT_EQ(
        error_of([&] { find_config_file(std::nullopt, missing.c_str(), binary); }),
        "configuration file " + missing.string() + " (GOVMAIL_CONFIG) not found"
    );
}

TEST_F(ConfigFileTest, TheCheckoutsConfigurationIsFoundFromTheBinary) {
    if (installed_config_exists()) {
        GTEST_SKIP() << kInstalledConfigFile << " exists on this machine and comes first";
    }
    EXPECT_EQ(
        find_config_file(std::nullopt, "", checkout_binary()), dir_ / "checkout/conf/govmail.conf"
    );
}

TEST_F(ConfigFileTest, NoFileAnywhereIsAnErrorNamingThePlacesLookedAt) {
    if (installed_config_exists()) {
        GTEST_SKIP() << kInstalledConfigFile << " exists on this machine and comes first";
    }
    const auto binary = write("elsewhere/bin/mailadm", "");
    const auto message = error_of([&] { find_config_file(std::nullopt, nullptr, binary); });
    EXPECT_NE(message.find("no configuration file"), std::string::npos) << message;
    EXPECT_NE(message.find(kInstalledConfigFile), std::string::npos) << message;
    EXPECT_NE(message.find((dir_ / "elsewhere/bin/conf/govmail.conf").string()), std::string::npos)
        << message;
}

TEST_F(ConfigFileTest, RelativePathsAreTheFilesFolderWhateverTheCurrentFolder) {
    const auto file = write(
        "etc/govmail.conf",
        "[server]\nvar_dir = state\n[tls]\ncertificate = tls/cert.pem\n"
        "private_key = /abs/key.pem\n"
    );
    const auto previous = fs::current_path();
    fs::current_path("/");
    const auto config = load_config(file);
    fs::current_path(previous);
    EXPECT_EQ(config.var_dir, dir_ / "etc/state");
    EXPECT_EQ(config.tls.certificate, dir_ / "etc/tls/cert.pem");
    EXPECT_EQ(config.tls.private_key, fs::path("/abs/key.pem"));
    EXPECT_EQ(config.auth.gpki.crl_dir, dir_ / "etc/state/gpki/crl");
}

TEST_F(ConfigFileTest, TheCheckoutsFileKeepsVarInTheCheckout) {
    const auto config = load_config(fs::path(GOVMAIL_SOURCE_DIR) / "conf" / "govmail.conf");
    EXPECT_EQ(config.var_dir, (fs::path(GOVMAIL_SOURCE_DIR) / "var").lexically_normal());
}

TEST_F(ConfigFileTest, AMissingFileCannotBeLoaded) {
    const auto missing = dir_ / "missing.conf";
    EXPECT_EQ(
        error_of([&] { load_config(missing); }),
        "configuration file " + missing.string() + " cannot be read"
    );
}

}  // namespace
}  // namespace govmail
