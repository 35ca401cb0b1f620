#include "tests/auth/saml_idp_client.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

namespace govmail::test {
namespace {

const std::string kScript = GOVMAIL_SOURCE_DIR "/tests/support/saml_idp.py";

// The output of COMMAND; fails the test when it exits with an error. Arguments are test
// constants: no quoting needed.
std::string run(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    std::string out;
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot run " << command;
        return out;
    }
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        out.append(buffer, n);
    }
    EXPECT_EQ(::pclose(pipe), 0) << command;
    return out;
}

}  // namespace

void make_idp_keys(const std::filesystem::path& dir) {
    run("python3 " + kScript + " keys " + dir.string());
}

std::string idp_response(const std::filesystem::path& dir, const IdpResponse& r) {
    return run(
        "python3 " + kScript + " response " + dir.string() + " --variant " + r.variant + " --acs " +
        r.acs + " --sp " + r.sp + " --idp " + r.idp + " --in-response-to " + r.in_response_to +
        " --user-key " + r.user_key + " --now " + std::to_string(r.now)
    );
}

}  // namespace govmail::test
