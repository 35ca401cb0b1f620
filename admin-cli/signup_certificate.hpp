#pragma once

// The certificate a signup request carries: read from a PEM file when the request is filed,
// kept as PEM with the request, checked for its validity period when the request is listed
// or approved. Chain, policy and revocation checks belong to the GPKI login (auth/gpki_*).

#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/gpki_certificate.hpp"
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

// The identity of the certificate in PEM; none when there is none or it cannot be read.
std::optional<auth::CertificateIdentity> request_identity(const std::optional<std::string>& pem);

// What binding the certificate in PEM records: its CRL distribution points, subject and
// validity (all empty when there is no certificate).
storage::BindingFacts binding_facts(const std::optional<std::string>& pem);

}  // namespace govmail::admin
