#pragma once

// A DNS server of [dns] nameservers: "192.0.2.53" or "127.0.0.1:5353" (port 53 when none).
// IPv4 only and at most kMaxNameservers: the limits of the system resolver (libresolv's
// MAXNS), which govmail's own MX look-ups use; rspamd gets the same list.

#include <cstdint>
#include <optional>
#include <string_view>

namespace govmail {

inline constexpr std::size_t kMaxNameservers = 3;

struct Nameserver {
    std::uint32_t address = 0;  // host byte order
    std::uint16_t port = 53;
};

// TEXT as a nameserver, or nullopt when it is not IPv4[:port].
std::optional<Nameserver> parse_nameserver(std::string_view text);

}  // namespace govmail
