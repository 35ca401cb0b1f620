#pragma once

// What one source (a CRL, an OCSP responder) says about a certificate's revocation, and how
// the configured policy ([gpki] revocation) combines the sources into one answer. Pure
// functions; no I/O.

#include <string>

#include "common/config.hpp"

namespace govmail::auth {

enum class RevocationStatus { Good, Revoked, Unknown };

struct RevocationAnswer {
    RevocationStatus status = RevocationStatus::Unknown;
    std::string detail;  // for logs and the audit entry: where the answer came from, or why none
};

// The leaf's status under POLICY from its CRL answer and, lazily, its OCSP answer (ASK_OCSP
// is called only when the policy needs it): crl uses the CRL; ocsp the responder;
// ocsp_then_crl the responder, and the CRL when the responder cannot tell; both needs both to
// say good, and either saying revoked refuses.
template <class AskOcsp>
RevocationAnswer combine_revocation(
    RevocationSource policy, const RevocationAnswer& crl, AskOcsp&& ask_ocsp
) {
    switch (policy) {
        case RevocationSource::Crl:
            return crl;
        case RevocationSource::Ocsp:
            return ask_ocsp();
        case RevocationSource::OcspThenCrl: {
            auto ocsp = ask_ocsp();
            if (ocsp.status != RevocationStatus::Unknown) {
                return ocsp;
            }
            return RevocationAnswer{crl.status, ocsp.detail + "; " + crl.detail};
        }
        case RevocationSource::Both:
            break;
    }
    if (crl.status == RevocationStatus::Revoked) {
        return crl;
    }
    auto ocsp = ask_ocsp();
    if (ocsp.status == RevocationStatus::Revoked || crl.status == RevocationStatus::Good) {
        return ocsp;
    }
    return crl;  // unknown by its CRL: unknown, whatever the responder said
}

}  // namespace govmail::auth
