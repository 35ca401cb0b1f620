#pragma once

// Server TLS contexts for every listener: TLS 1.2 and 1.3 only, forward-secret AEAD suites
// in the server's order of preference, no renegotiation, no compression, no session tickets
// reused across restarts. Client certificates are requested (not required) when a CA bundle
// is given, so GPKI users can log in by certificate and others by password or token.

#include <boost/asio/ssl/context.hpp>
#include <filesystem>

namespace govmail {

struct TlsFiles {
    std::filesystem::path certificate_chain;
    std::filesystem::path private_key;
    std::filesystem::path client_ca_bundle;  // empty: no client certificate requested
};

// Throws boost::system::system_error naming the file when a file cannot be loaded.
boost::asio::ssl::context make_server_tls_context(const TlsFiles& files);

// True when the TLS session TLS (may be null) carries a client certificate. Servers offer
// SASL EXTERNAL only then: clients such as mbsync try every offered mechanism in turn.
bool client_presented_certificate(SSL* tls);

}  // namespace govmail
