#pragma once

// Checks the client certificate of a TLS session for certificate login (SASL EXTERNAL):
// chain to the configured GPKI CA bundle, validity period, revocation by the CRLs in the CRL
// directory (every certificate of the chain must be covered by a current CRL: without one
// the answer is no), key usage (digitalSignature; an extended key usage, when present, must
// allow client authentication) and the configured certificate policies. The TLS layer
// accepted any certificate so that this check can tell the user what is wrong.
//
// Sees untrusted input (the client's certificates) but only through OpenSSL's verifier.
// Thread-safe: the trust store is rebuilt when the CRL directory changes and swapped in.

#include <openssl/ssl.h>

#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/gpki_certificate.hpp"
#include "common/config.hpp"

namespace govmail::auth {

struct GpkiVerdict {
    std::optional<CertificateIdentity> identity;  // set when the certificate is good
    std::string refusal;                          // otherwise: what the client is told
    std::string subject;  // of the presented certificate, for the audit log; empty: none
};

class GpkiVerifier {
public:
    // Throws std::runtime_error when the CA bundle cannot be read.
    explicit GpkiVerifier(GpkiConfig config);
    ~GpkiVerifier();
    GpkiVerifier(const GpkiVerifier&) = delete;
    GpkiVerifier& operator=(const GpkiVerifier&) = delete;

    // The certificate the client presented in TLS (and the chain it sent along).
    GpkiVerdict verify(SSL* tls);
    // LEAF with UNTRUSTED intermediates (may be null), as of NOW.
    GpkiVerdict verify(X509* leaf, STACK_OF(X509) * untrusted, std::time_t now);

private:
    struct Trust;
    std::shared_ptr<const Trust> current_trust();
    GpkiVerdict check(X509* leaf, STACK_OF(X509) * untrusted, std::time_t now);

    GpkiConfig config_;
    std::vector<X509Ptr> authorities_;
    std::mutex mutex_;
    std::shared_ptr<const Trust> trust_;
};

}  // namespace govmail::auth
