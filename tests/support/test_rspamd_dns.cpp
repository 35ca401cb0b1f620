// The rspamd fixture's DNS server and test-only rule (tests/support/test_rspamd_dns.hpp).

#include "tests/support/test_rspamd_dns.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace govmail::test {
namespace {

// Between rspamd's greylist (4) and add header (6) scores, with the few points a plain test
// message gets on top.
constexpr const char* kGreylistScore = "4.5";

void write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::trunc);
    out << text;
    if (!out.flush()) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

}  // namespace

std::string fixture_nameserver() {
    const char* root = std::getenv("GOVMAIL_TEST_DNS_ROOT");
    std::ifstream in(std::filesystem::path(root != nullptr ? root : "") / "address");
    std::string address;
    return std::getline(in, address) ? address : "127.0.0.1:1";
}

void write_test_rules(const std::filesystem::path& rspamd_dir) {
    const auto map = std::filesystem::absolute(rspamd_dir / "local.d" / "greylist-test.map");
    write(map, "greylist.test\n");
    write(
        rspamd_dir / "local.d" / "multimap.conf",
        "# Written by govmail-test-rspamd: mail from greylist.test is greylisted.\n"
        "GOVMAIL_TEST_GREYLIST {\n  type = \"from\";\n  filter = \"email:domain\";\n"
        "  map = \"" +
            map.string() + "\";\n  score = " + kGreylistScore + ";\n}\n"
    );
}

}  // namespace govmail::test
