#pragma once

// IP networks in CIDR notation ("10.20.0.0/16", "2001:db8::/32"), for the decisions a
// source address makes (signup requests only from the administrative network). IPv4
// addresses mapped into IPv6 (::ffff:10.20.1.2) count as the IPv4 address.

#include <boost/asio/ip/address.hpp>
#include <string_view>
#include <vector>

namespace govmail {

struct Network {
    boost::asio::ip::address address;  // with the host bits as written
    unsigned prefix = 0;               // 0..32 for IPv4, 0..128 for IPv6
};

// Throws std::invalid_argument naming TEXT when it is not address/prefix (a bare address is
// a /32 or /128).
Network parse_network(std::string_view text);

bool contains(const Network& network, const boost::asio::ip::address& address);

// True when ADDRESS is in one of NETWORKS; an empty list allows every address.
bool allowed_from(const std::vector<Network>& networks, const boost::asio::ip::address& address);

}  // namespace govmail
