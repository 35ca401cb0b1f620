#pragma once

// What identifies a certificate to the suite, read the same way wherever a certificate is
// bound (mailadm, signup approval) or presented (TLS login): the issuer's name and the
// serial number, the SHA-256 of the DER encoding, the subject (by which a renewed certificate
// follows its owner), its validity, and where its CA publishes the CRL that covers it.

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "auth/openssl_ptr.hpp"

namespace govmail::auth {

struct CertificateIdentity {
    std::string issuer;       // RFC 2253 order and escaping, UTF-8: "CN=CA131100001,OU=GPKI,..."
    std::string serial;       // upper-case hex, as `openssl x509 -serial` prints it
    std::string sha256;       // 32 bytes: SHA-256 of the DER certificate
    std::string subject;      // RFC 2253, UTF-8: "CN=089홍길동001,OU=...,C=KR"
    std::string common_name;  // the subject's CN, UTF-8: "089홍길동001"; empty when none
    std::vector<std::string> crl_urls;  // URIs of the CRL distribution points
    std::int64_t not_before = 0;        // validity, unix seconds
    std::int64_t not_after = 0;
};

CertificateIdentity certificate_identity(X509* certificate);

// TIME as unix seconds; 0 when it cannot be read.
std::int64_t unix_time(const ASN1_TIME* time);

// An X.509 name in RFC 2253 form with UTF-8 left unescaped.
std::string name_text(const X509_NAME* name);

// CERTIFICATE in PEM. Throws std::runtime_error when it cannot be encoded.
std::string certificate_pem(X509* certificate);

// The URIs among CERTIFICATE's CRL distribution points (full names only).
std::vector<std::string> crl_distribution_points(X509* certificate);
// The URIs among POINTS (full names only; none when POINTS is null).
std::vector<std::string> distribution_point_uris(const CRL_DIST_POINTS* points);

// Every certificate in PEM text, in order; none when it holds none.
std::vector<X509Ptr> parse_pem_certificates(std::string_view pem);

// Every certificate in a PEM file. Throws std::runtime_error naming the file when it cannot
// be read or holds no certificate.
std::vector<X509Ptr> read_pem_certificates(const std::filesystem::path& file);

}  // namespace govmail::auth
