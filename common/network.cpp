#include "common/network.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

namespace govmail {
namespace {

namespace ip = boost::asio::ip;

ip::address unmapped(const ip::address& address) {
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return ip::make_address_v4(ip::v4_mapped, address.to_v6());
    }
    return address;
}

// The address's bytes, network order.
std::vector<unsigned char> bytes_of(const ip::address& address) {
    if (address.is_v4()) {
        const auto b = address.to_v4().to_bytes();
        return {b.begin(), b.end()};
    }
    const auto b = address.to_v6().to_bytes();
    return {b.begin(), b.end()};
}

}  // namespace

Network parse_network(std::string_view text) {
    const auto slash = text.find('/');
    boost::system::error_code ec;
    const auto address = unmapped(ip::make_address(std::string(text.substr(0, slash)), ec));
    const unsigned max_prefix = address.is_v4() ? 32 : 128;
    unsigned prefix = max_prefix;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (error != std::errc{} || end != digits.data() + digits.size() || digits.empty()) {
            prefix = max_prefix + 1;
        }
    }
    if (ec || prefix > max_prefix) {
        throw std::invalid_argument(
            "'" + std::string(text) + "' is not a network (address/prefix)"
        );
    }
    return Network{address, prefix};
}

bool contains(const Network& network, const ip::address& address) {
    const auto candidate = unmapped(address);
    if (candidate.is_v4() != network.address.is_v4()) {
        return false;
    }
    const auto want = bytes_of(network.address);
    const auto have = bytes_of(candidate);
    for (unsigned bit = 0; bit < network.prefix; ++bit) {
        const auto mask = static_cast<unsigned char>(0x80U >> (bit % 8));
        if ((want[bit / 8] & mask) != (have[bit / 8] & mask)) {
            return false;
        }
    }
    return true;
}

bool allowed_from(const std::vector<Network>& networks, const ip::address& address) {
    if (networks.empty()) {
        return true;
    }
    for (const auto& network : networks) {
        if (contains(network, address)) {
            return true;
        }
    }
    return false;
}

}  // namespace govmail
