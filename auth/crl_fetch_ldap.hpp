#pragma once

// CRLs from LDAP distribution points (RFC 4516 URLs, as Korean CAs publish them:
// ldap://ldap.signgate.com:389/ou=dp7p27928,ou=crldp,ou=AccreditedCA,o=KICA,c=KR), fetched
// with OpenLDAP's client library: anonymous bind, a base-scope search of the URL's DN for
// certificateRevocationList;binary (RFC 4523), falling back to certificateRevocationList.
// Network and operation deadlines, one entry at most, and a bound on the answer's bytes.
//
// Talks to an untrusted server; what it returns is only bytes, which the caller parses and
// checks against the CA bundle before use.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace govmail::auth {

// The CRL at URL (ldap://host[:port]/DN[?attribute]); nullopt with ERROR set when the server
// cannot be reached, answers with an error or holds no CRL there, or the answer is larger
// than MAX_BYTES. Blocks for at most about two TIMEOUTs (connect, then bind and search).
std::optional<std::string> fetch_ldap_crl(
    const std::string& url, std::chrono::seconds timeout, std::size_t max_bytes, std::string& error
);

}  // namespace govmail::auth
