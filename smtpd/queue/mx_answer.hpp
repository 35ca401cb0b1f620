#pragma once

// Reading the DNS answer to an MX query (RFC 1035 4.1, RFC 5321 5.1): the bytes res_nquery
// returns, from a DNS server or anyone able to spoof one. No I/O (mx_lookup.hpp asks).

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

inline constexpr std::size_t kMaxMxAnswerBytes = 65536;  // the largest DNS message (TCP)
inline constexpr std::size_t kMaxMxHosts = 10;           // Postfix smtp_mx_address_limit-like bound

struct MxAnswer {
    enum class Status { Found, NoSuchDomain, NullMx, TemporaryFailure };
    Status status = Status::TemporaryFailure;
    std::vector<MxHost> hosts;  // Found only: sorted by preference, at least one
};

// What ANSWER to DOMAIN's MX query says. A message that cannot be parsed, or longer than
// kMaxMxAnswerBytes, is a temporary failure; no MX record means the domain itself. Hosts are sorted
// by preference and at most kMaxMxHosts are kept. A null MX (RFC 7505) means NullMx when no other
// MX is listed; beside others it is skipped.
MxAnswer read_mx_answer(const std::string& domain, std::span<const unsigned char> answer);

}  // namespace govmail::smtpd
