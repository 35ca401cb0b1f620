// CIDR networks for signup.networks.

#include "common/network.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace govmail {
namespace {

namespace ip = boost::asio::ip;

TEST(Network, ContainsByPrefix) {
    const auto admin = parse_network("10.20.0.0/16");
    EXPECT_TRUE(contains(admin, ip::make_address("10.20.255.1")));
    EXPECT_FALSE(contains(admin, ip::make_address("10.21.0.1")));
    EXPECT_TRUE(contains(admin, ip::make_address("::ffff:10.20.1.1")));
    EXPECT_FALSE(contains(admin, ip::make_address("2001:db8::1")));
    const auto v6 = parse_network("2001:db8:20::/48");
    EXPECT_TRUE(contains(v6, ip::make_address("2001:db8:20:ffff::1")));
    EXPECT_FALSE(contains(v6, ip::make_address("2001:db8:21::1")));
    EXPECT_TRUE(contains(parse_network("192.0.2.7"), ip::make_address("192.0.2.7")));
    EXPECT_FALSE(contains(parse_network("192.0.2.7"), ip::make_address("192.0.2.8")));
    EXPECT_TRUE(contains(parse_network("0.0.0.0/0"), ip::make_address("203.0.113.9")));
}

TEST(Network, EmptyListAllowsEveryone) {
    EXPECT_TRUE(allowed_from({}, ip::make_address("203.0.113.9")));
    EXPECT_FALSE(allowed_from({parse_network("10.0.0.0/8")}, ip::make_address("203.0.113.9")));
}

TEST(Network, MalformedIsRefused) {
    for (const auto* text : {"10.0.0.0/33", "10.0.0/8", "x", "10.0.0.0/", "::/129", "1.2.3.4/8x"}) {
        EXPECT_THROW(parse_network(text), std::invalid_argument) << text;
    }
}

}  // namespace
}  // namespace govmail
