#pragma once

// The certificate a signup request carries: read from a PEM file when the request is filed,
// kept as PEM with the request, checked for its validity period when the request is listed
// or approved. Chain, policy and revocation checks belong to the GPKI login (auth/gpki_*).

#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/signup_checks.hpp"
#include "storage/signup_store.hpp"

namespace govmail::admin {

struct RequestCertificate {
    storage::SignupCertificate stored;
    std::string subject;      // RFC 2253
    std::string common_name;  // the subject's CN, empty when it has none
};

// The first certificate in FILE. Throws std::runtime_error naming the file.
RequestCertificate read_request_certificate(const std::filesystem::path& file);

auth::CertificateCheck check_certificate(const std::optional<std::string>& pem, std::time_t now);

// The CRL distribution points of the certificate in PEM (none when there is none).
std::vector<std::string> certificate_crl_urls(const std::optional<std::string>& pem);

}  // namespace govmail::admin
