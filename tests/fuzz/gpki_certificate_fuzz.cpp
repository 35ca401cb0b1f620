// libFuzzer target for what the suite reads from a GPKI certificate: certificate_identity()
// (issuer, serial, SHA-256, subject, common name, CRL distribution points) of a DER
// certificate, as a client presents one in the TLS handshake (AUTH EXTERNAL, AUTHENTICATE
// EXTERNAL, the portal's certificate sign-in) and as mailadm binds one. Invariants:
// - the issuer and subject texts carry no NUL and no control character (RFC 2253 escapes
//   them), so what is stored and logged is what was checked;
// - the serial is upper-case hex, with a '-' for a negative serial;
// - the SHA-256 is that of the certificate's DER encoding, not of the bytes as sent: a
//   certificate sent with a different (BER) outer encoding has the same identity;
// - the certificate written as PEM (as a signup request stores it) reads back as exactly one
//   certificate with the same identity.

#include <openssl/sha.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/gpki_certificate.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::auth {
namespace {

using fuzz::check;
using fuzz::free_of_controls;

bool serial_text(std::string_view serial) {
    if (serial.starts_with('-')) {
        serial.remove_prefix(1);
    }
    for (const char c : serial) {
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

bool same_identity(const CertificateIdentity& a, const CertificateIdentity& b) {
    return a.issuer == b.issuer && a.serial == b.serial && a.sha256 == b.sha256 &&
           a.subject == b.subject && a.common_name == b.common_name && a.crl_urls == b.crl_urls;
}

}  // namespace
}  // namespace govmail::auth

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::auth;
    const unsigned char* cursor = data;
    const X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(size)));
    ERR_clear_error();
    if (!certificate) {
        return 0;
    }
    const auto id = certificate_identity(certificate.get());
    check(free_of_controls(id.issuer), "issuer text holds no NUL or control character");
    check(free_of_controls(id.subject), "subject text holds no NUL or control character");
    check(serial_text(id.serial), "serial is upper-case hex");

    unsigned char* der = nullptr;
    const int der_length = i2d_X509(certificate.get(), &der);
    if (der_length <= 0) {
        check(id.sha256.empty(), "no SHA-256 for a certificate that cannot be encoded");
        ERR_clear_error();
        return 0;
    }
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(der, static_cast<std::size_t>(der_length), digest);
    OPENSSL_free(der);
    check(
        id.sha256 == std::string_view(reinterpret_cast<const char*>(digest), sizeof digest),
        "the SHA-256 is that of the DER encoding"
    );

    const auto again = parse_pem_certificates(certificate_pem(certificate.get()));
    check(again.size() == 1, "the PEM form holds one certificate");
    check(
        same_identity(id, certificate_identity(again.front().get())),
        "the PEM form reads back with the same identity"
    );
    ERR_clear_error();
    return 0;
}
