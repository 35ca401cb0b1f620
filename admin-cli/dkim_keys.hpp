#pragma once

// The DKIM signing keys `mailadm dkim` manages, kept under var_dir/dkim: one directory per
// domain (mode 0700) holding SELECTOR.pem, each private key in PKCS#8 PEM (mode 0600), and
// "signing", the name of the selector that signs new mail. A selector that does not sign
// is still published until it is retired (its file removed), so that mail it signed keeps
// verifying (RFC 6376 3.6.1: the receiver looks the key up when it checks).
// Keys are made with OpenSSL's EVP API: RSA 2048 (rsa-sha256) or Ed25519 (RFC 8463).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace govmail::admin {

enum class DkimAlgorithm { Rsa, Ed25519 };

struct DkimKey {
    std::string domain;  // lower case
    std::string selector;
    DkimAlgorithm algorithm = DkimAlgorithm::Rsa;
    bool signing = false;
    std::string private_pem;  // PKCS#8
    std::string public_key;   // the p= value: base64 SPKI (RSA), or the raw key (Ed25519)
};

// "rsa" / "ed25519", and back (nullopt for any other name).
std::string algorithm_name(DkimAlgorithm algorithm);
std::optional<DkimAlgorithm> parse_algorithm(std::string_view name);

// Whether NAME can be a selector or a domain: DNS labels of letters, digits and hyphens,
// dot-separated (a domain needs a dot).
bool valid_selector(std::string_view name);
bool valid_domain(std::string_view name);

// The record to publish: its name "SELECTOR._domainkey.DOMAIN" and its TXT value
// "v=DKIM1; k=rsa; p=...".
std::string dns_name(const DkimKey& key);
std::string dns_txt(const DkimKey& key);

// The form rspamd's dkim_signing reads from Redis: the PEM (RSA), or the base64 of the
// 32-byte Ed25519 seed (rspamd does not read Ed25519 PEM).
std::string rspamd_key(const DkimKey& key);

class DkimKeyStore {
public:
    explicit DkimKeyStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // Every key of DOMAIN (every domain when empty), by domain then selector.
    std::vector<DkimKey> list(const std::string& domain = "") const;
    // A new key for DOMAIN under SELECTOR, which then signs. Throws std::runtime_error when
    // the selector exists or the key cannot be made or written.
    DkimKey create(const std::string& domain, const std::string& selector, DkimAlgorithm algorithm);
    // Removes SELECTOR's key of DOMAIN; false when there is none.
    bool remove(const std::string& domain, const std::string& selector);

    // "s20261207", or "s20261207-2" ... when that selector exists: a fresh name for today.
    std::string new_selector(const std::string& domain) const;

private:
    std::filesystem::path dir_;
};

}  // namespace govmail::admin
