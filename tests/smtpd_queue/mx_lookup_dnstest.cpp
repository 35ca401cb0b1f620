// MX look-ups (lookup_mx_blocking) at the authoritative DNS server of the `dns` fixture
// (tests/support/test_dns.py), named by [dns] nameservers: the answer is that server's, not
// the system resolver's, which knows none of the .test names.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "smtpd/queue/mx_lookup.hpp"

namespace govmail::smtpd {
namespace {

std::vector<std::string> fixture_nameservers() {
    const char* root = std::getenv("GOVMAIL_TEST_DNS_ROOT");
    std::ifstream in(std::filesystem::path(root != nullptr ? root : "") / "address");
    std::string address;
    return std::getline(in, address) ? std::vector{address} : std::vector<std::string>{};
}

TEST(MxLookup, AsksTheConfiguredNameserver) {
    const auto nameservers = fixture_nameservers();
    ASSERT_FALSE(nameservers.empty()) << "no DNS fixture ($GOVMAIL_TEST_DNS_ROOT/address)";
    const auto answer = lookup_mx_blocking(nameservers, "mx.test");
    EXPECT_EQ(answer.status, MxAnswer::Status::Found);
    ASSERT_EQ(answer.hosts.size(), 1U);
    EXPECT_EQ(answer.hosts[0].preference, 10);
    EXPECT_EQ(answer.hosts[0].host, "mail.mx.test");
}

TEST(MxLookup, ADomainTheServerDoesNotKnowDoesNotExist) {
    const auto nameservers = fixture_nameservers();
    ASSERT_FALSE(nameservers.empty());
    EXPECT_EQ(
        lookup_mx_blocking(nameservers, "no-such-domain.test").status,
        MxAnswer::Status::NoSuchDomain
    );
}

TEST(MxLookup, ADomainWithoutMxIsItsOwnHost) {
    const auto nameservers = fixture_nameservers();
    ASSERT_FALSE(nameservers.empty());
    const auto answer = lookup_mx_blocking(nameservers, "mail.mx.test");
    EXPECT_EQ(answer.status, MxAnswer::Status::Found);
    ASSERT_EQ(answer.hosts.size(), 1U);
    EXPECT_EQ(answer.hosts[0].host, "mail.mx.test");
}

TEST(MxLookup, ASilentNameserverIsATemporaryFailure) {
    // Port 1 on loopback: nothing listens, the query is refused at once.
    EXPECT_EQ(
        lookup_mx_blocking({"127.0.0.1:1"}, "mx.test").status, MxAnswer::Status::TemporaryFailure
    );
}

}  // namespace
}  // namespace govmail::smtpd
