// Parsing [dns] nameservers entries (common/nameserver.hpp).

#include "common/nameserver.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <charconv>
#include <string>

namespace govmail {

std::optional<Nameserver> parse_nameserver(std::string_view text) {
    const auto colon = text.find(':');
    Nameserver server;
    if (colon != std::string_view::npos) {
        const auto port = text.substr(colon + 1);
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), server.port);
        if (ec != std::errc{} || end != port.data() + port.size() || server.port == 0) {
            return std::nullopt;
        }
    }
    boost::system::error_code error;
    const auto address =
        boost::asio::ip::make_address_v4(std::string(text.substr(0, colon)), error);
    if (error) {
        return std::nullopt;
    }
    server.address = address.to_uint();
    return server;
}

}  // namespace govmail
