#pragma once

// The GPKI-shaped PKI of the certificate tests, made once per test suite by
// tests/support/gpki_test_ca.py with the openssl command (root GPKIRootCA1, issuing CA
// CA131100001, officials' certificates good, expired, revoked, wrong_policy, server_eku and
// rogue) under a temporary folder, and a verifier configuration that trusts it.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/config.hpp"

namespace govmail::auth {

class GpkiTestPki : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new std::filesystem::path(
            std::filesystem::temp_directory_path() / ("govmail-gpki-" + std::to_string(::getpid()))
        );
        std::filesystem::remove_all(*dir_);
        const auto command = "python3 " GOVMAIL_SOURCE_DIR "/tests/support/gpki_test_ca.py " +
                             dir_->string() + " --crl-base http://crl.test/gpki";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
    static void TearDownTestSuite() {
        std::filesystem::remove_all(*dir_);
        delete dir_;
        dir_ = nullptr;
    }

    // Trusts the test PKI, with its CRLs.
    static GpkiConfig config() {
        GpkiConfig c;
        c.ca_bundle = *dir_ / "bundle.pem";
        c.crl_dir = *dir_ / "crl";
        return c;
    }

    inline static std::filesystem::path* dir_ = nullptr;
};

}  // namespace govmail::auth
