#pragma once

// Where mail for a domain goes (RFC 5321 section 5.1): its MX hosts by preference, or the
// domain itself (its address records) when it has no MX. A null MX (RFC 7505) or a domain
// that does not exist is a permanent failure; a DNS server failure or timeout is temporary.
// The look-up blocks (res_nquery from libresolv) and so runs on a blocking thread pool.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace govmail::smtpd {

struct MxHost {
    std::uint16_t preference = 0;
    std::string host;
    friend bool operator==(const MxHost&, const MxHost&) = default;
};

inline constexpr std::size_t kMaxMxHosts = 10;  // Postfix smtp_mx_address_limit-like bound

struct MxAnswer {
    enum class Status { Found, NoSuchDomain, NullMx, TemporaryFailure };
    Status status = Status::TemporaryFailure;
    std::vector<MxHost> hosts;  // Found only: sorted by preference, at least one
};

// What the DNS ANSWER to DOMAIN's MX query (RFC 1035 4.1, the bytes res_nquery returns) says;
// no I/O. Untrusted input: a message that cannot be parsed is a temporary failure. Hosts are
// sorted by preference and at most kMaxMxHosts are kept. A null MX (RFC 7505) means NullMx
// when no other MX is listed; beside others it is skipped.
MxAnswer read_mx_answer(const std::string& domain, std::span<const unsigned char> answer);

// Blocking look-up of DOMAIN's MX records (the A/AAAA fallback is the domain itself).
MxAnswer lookup_mx_blocking(const std::string& domain);

// The same on BLOCKING's threads; resumes on the caller's executor.
boost::asio::awaitable<MxAnswer> lookup_mx(
    boost::asio::any_io_executor blocking, std::string domain
);

}  // namespace govmail::smtpd
