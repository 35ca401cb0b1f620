#pragma once

// Checks the client certificate of a TLS session for certificate login (SASL EXTERNAL):
// chain to the configured GPKI CA bundle, validity period, key usage (digitalSignature; an
// extended key usage, when present, must allow client authentication), the configured
// certificate policies, then revocation ([gpki] revocation): the CA certificates of the chain
// by the CRLs in the CRL directory, the person's certificate by its CRL, its OCSP responder
// (RFC 6960, answers cached until their nextUpdate), or both. A CRL on file that lists a
// certificate always refuses it. When the status cannot be told, [gpki] revocation_unknown
// refuses (hard) or accepts and says so in the verdict for the audit log (soft). The TLS
// layer accepted any certificate so that this check can tell the user what is wrong.
//
// Sees untrusted input (the client's certificates) but only through OpenSSL's verifier.
// Thread-safe: the trust store is rebuilt when the CRL directory changes and swapped in.
// With OCSP, verify() waits on the network: from a coroutine, co_await verify_async().

#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/gpki_certificate.hpp"
#include "auth/gpki_revocation.hpp"
#include "auth/ocsp_cache.hpp"
#include "common/config.hpp"

namespace govmail::auth {

struct GpkiVerdict {
    std::optional<CertificateIdentity> identity;  // set when the certificate is good
    std::string refusal;                          // otherwise: what the client is told
    std::string subject;  // of the presented certificate, for the audit log; empty: none
    // Set when the certificate was accepted although its revocation status is unknown
    // (revocation_unknown = soft): why, for an audit entry.
    std::string revocation_unknown;
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
    // verify(TLS) on the verifier's own blocking threads, so that OCSP requests do not hold an
    // io thread; resumes on the caller's executor.
    boost::asio::awaitable<GpkiVerdict> verify_async(SSL* tls);
    // LEAF with UNTRUSTED intermediates (may be null), as of NOW.
    GpkiVerdict verify(X509* leaf, STACK_OF(X509) * untrusted, std::time_t now);

private:
    struct Trust;
    std::shared_ptr<const Trust> current_trust();
    GpkiVerdict check(X509* leaf, STACK_OF(X509) * untrusted, std::time_t now);
    RevocationAnswer ask_ocsp_cached(X509* leaf, X509* issuer, X509_STORE* trust, std::time_t now);

    GpkiConfig config_;
    std::vector<X509Ptr> authorities_;
    std::mutex mutex_;
    std::shared_ptr<const Trust> trust_;
    OcspCache ocsp_cache_;
    boost::asio::thread_pool blocking_{2};
};

}  // namespace govmail::auth
