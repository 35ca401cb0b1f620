#pragma once

// Asks an OCSP responder (RFC 6960) about one certificate with OpenSSL's OCSP API: a request
// with a nonce, POSTed over plain HTTP (answers are signed) with a deadline and a size bound;
// the answer is used only when its nonce (when it carries one) is ours, it is signed by the
// certificate's CA or by a responder the CA delegated (id-kp-OCSPSigning), and it is fresh:
// thisUpdate no older than the configured age and nextUpdate not passed, both with a small
// clock skew. Anything else answers Unknown with the reason.
//
// Talks to an untrusted server. Blocks for up to the configured timeout: never call it on an
// io thread.

#include <openssl/x509.h>

#include <ctime>
#include <optional>
#include <string>

#include "auth/gpki_revocation.hpp"
#include "common/config.hpp"

namespace govmail::auth {

struct OcspAnswer {
    RevocationAnswer answer;
    std::optional<std::time_t> next_update;  // when the answer may be kept until
};

// The responder URL for LEAF: the configured one, else the first OCSP URI of its AIA; empty
// when there is none.
std::string ocsp_responder_url(X509* leaf, const GpkiConfig& config);

// LEAF's status from the responder at URL. ISSUER issued LEAF; TRUST (the CA bundle) checks
// the responder's signature.
OcspAnswer ask_ocsp(
    const std::string& url, X509* leaf, X509* issuer, X509_STORE* trust, const GpkiConfig& config
);

}  // namespace govmail::auth
