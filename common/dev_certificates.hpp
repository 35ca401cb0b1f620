#pragma once

// Development certificates made on first start, so a new checkout runs with TLS at once:
// a self-signed server certificate for the configured host name, and a test CA shaped like
// the government PKI (GPKI) root that signs officials' certificates. Production configures
// real files instead; nothing here is ever committed.

#include <filesystem>
#include <string>

namespace govmail {

struct DevCertificatePaths {
    std::filesystem::path server_certificate;
    std::filesystem::path server_key;
    std::filesystem::path gpki_ca_certificate;
    std::filesystem::path gpki_ca_key;
};

DevCertificatePaths dev_certificate_paths(const std::filesystem::path& var_dir);

// Creates whichever of the files is missing; leaves existing ones alone. Keys are written
// with mode 0600. Throws std::runtime_error with OpenSSL's reason on failure.
DevCertificatePaths ensure_dev_certificates(
    const std::filesystem::path& var_dir, const std::string& hostname
);

}  // namespace govmail
