#pragma once

// Where mail for a domain goes (RFC 5321 section 5.1): its MX hosts by preference, or the
// domain itself (its address records) when it has no MX. A null MX (RFC 7505) or a domain
// that does not exist is a permanent failure; a DNS server failure or timeout is temporary.
// The look-up blocks (res_nquery from libresolv) and so runs on a blocking thread pool. It
// asks [dns] nameservers when set, else the system's resolvers (/etc/resolv.conf).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "smtpd/queue/mx_answer.hpp"

namespace govmail::smtpd {

// Blocking look-up of DOMAIN's MX records (the A/AAAA fallback is the domain itself) at
// NAMESERVERS ([dns] nameservers, already checked; empty: the system's).
MxAnswer lookup_mx_blocking(const std::vector<std::string>& nameservers, const std::string& domain);

// The same on BLOCKING's threads; resumes on the caller's executor.
boost::asio::awaitable<MxAnswer> lookup_mx(
    boost::asio::any_io_executor blocking,
    const std::vector<std::string>& nameservers,
    std::string domain
);

}  // namespace govmail::smtpd
