// libFuzzer target for certificate revocation lists as the suite reads them: parse_crl() of a
// PEM or DER CRL, as `mailadm gpki crl refresh` gets one over plain HTTP (anyone on the path
// can answer) and as the verifier loads the CRL directory. Invariants for a CRL that parses:
// - it has a lastUpdate (the refresh compares it with the CRL on file) and an issuer whose
//   text carries no NUL or control character;
// - its revoked entries can be read and each is found again by its serial;
// - written as PEM, as the refresh keeps it on disk, it reads back to the same DER, so a CRL
//   that was accepted is never skipped as damaged at the next load (which would drop its
//   revocations).

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/gpki_certificate.hpp"
#include "auth/gpki_crl.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::auth {
namespace {

using fuzz::check;
using fuzz::free_of_controls;

// The DER encoding of CRL; empty when it cannot be encoded.
std::string der(X509_CRL* crl) {
    unsigned char* out = nullptr;
    const int length = i2d_X509_CRL(crl, &out);
    if (length <= 0) {
        return {};
    }
    std::string bytes(reinterpret_cast<const char*>(out), static_cast<std::size_t>(length));
    OPENSSL_free(out);
    return bytes;
}

// CRL in PEM, as the refresh writes its file; empty when it cannot be written.
std::string pem(X509_CRL* crl) {
    const BioPtr out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_X509_CRL(out.get(), crl) != 1) {
        return {};
    }
    char* data = nullptr;
    const long length = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

void check_revoked_entries(X509_CRL* crl) {
    const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
        const X509_REVOKED* entry = sk_X509_REVOKED_value(revoked, i);
        const ASN1_INTEGER* serial = X509_REVOKED_get0_serialNumber(entry);
        check(serial != nullptr, "a revoked entry has a serial");
        X509_REVOKED* found = nullptr;
        // 1: revoked; 2: listed as removeFromCRL (delta CRLs) - listed either way.
        check(
            X509_CRL_get0_by_serial(crl, &found, const_cast<ASN1_INTEGER*>(serial)) != 0,
            "a revoked serial is found in its CRL"
        );
    }
}

}  // namespace
}  // namespace govmail::auth

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::auth;
    const auto crl = parse_crl(govmail::fuzz::as_text(data, size));
    if (!crl) {
        return 0;
    }
    check(X509_CRL_get0_lastUpdate(crl.get()) != nullptr, "a CRL has a lastUpdate");
    check(
        free_of_controls(name_text(X509_CRL_get_issuer(crl.get()))),
        "the issuer text holds no NUL or control character"
    );
    check_revoked_entries(crl.get());

    const auto encoded = der(crl.get());
    const auto written = pem(crl.get());
    if (encoded.empty() || written.empty()) {
        ERR_clear_error();
        return 0;  // refused when written, so never kept on file
    }
    const auto again = parse_crl(written);
    check(again != nullptr, "a CRL written as PEM parses again");
    check(der(again.get()) == encoded, "a CRL written as PEM reads back unchanged");
    ERR_clear_error();
    return 0;
}
