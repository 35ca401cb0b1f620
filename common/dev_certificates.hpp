#pragma once

// Development certificates made on first start, so a new checkout runs with TLS at once:
// a self-signed server certificate for the configured host name, and a test CA shaped like
// the government PKI (GPKI) root that signs officials' certificates. Production configures
// real files instead; nothing here is ever committed. For trying certificate login, the
// development CA also issues a person's certificate (`mailadm gpki dev-issue`) and its CRL.

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

// A development official, shaped like a GPKI person certificate: C=KR, O=Government of Korea,
// OU=<agency>, CN=<common_name> (GPKI: "089" + name + a serial, e.g. "089홍길동001").
struct DevPerson {
    std::string agency;
    std::string common_name;
    std::string policy_oid;  // the certificate policy logins require
};

struct DevPersonFiles {
    std::filesystem::path certificate;  // PEM
    std::filesystem::path key;          // PEM, mode 0600
    std::filesystem::path pkcs12;       // certificate and key, for mail clients and browsers
};

// Issues PERSON's client certificate (valid a year) from the development GPKI CA under
// VAR_DIR and writes OUT_DIR/person.pem, person.key and person.p12 (protected by
// P12_PASSWORD). Throws std::runtime_error on failure.
DevPersonFiles issue_dev_person(
    const std::filesystem::path& var_dir,
    const DevPerson& person,
    const std::filesystem::path& out_dir,
    const std::string& p12_password
);

// Writes CRL_FILE: the development CA's CRL (it revokes nothing), valid for DAYS days.
void write_dev_crl(
    const std::filesystem::path& var_dir, const std::filesystem::path& crl_file, int days
);

}  // namespace govmail
