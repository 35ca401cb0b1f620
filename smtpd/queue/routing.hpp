#pragma once

// Where a recipient's mail goes: the configured relay host (smarthost), or the MX hosts of
// its domain (RFC 5321 section 5.1), port 25.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtpd/queue/queue_context.hpp"

namespace govmail::smtpd {

struct Destination {
    std::string host;
    std::uint16_t port = 25;
    friend bool operator==(const Destination&, const Destination&) = default;
};

// "host:port", "[2001:db8::1]:port" or "host" (port 25); nullopt when malformed.
std::optional<Destination> parse_relay_host(std::string_view text);

// The lower-cased domain of ADDRESS (after its last "@").
std::string recipient_domain(std::string_view address);

// The hosts to try in order, or the reply every recipient of DOMAIN gets without a
// connection (no such domain, null MX, DNS failure).
struct Route {
    std::vector<Destination> hosts;
    std::optional<RecipientReply> failure;
};

boost::asio::awaitable<Route> route_for(const QueueContext& ctx, std::string domain);

}  // namespace govmail::smtpd
