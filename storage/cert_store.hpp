#pragma once

// Certificate bindings: a GPKI certificate, named by issuer + serial and the SHA-256 of its
// DER encoding, logs in as one account (SASL EXTERNAL). A certificate is bound to at most
// one account at a time; revoked bindings stay for the record. A renewed certificate is found
// by its CA and subject, and bound beside the one it renews, at once or pending approval.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct CertificateKey {
    std::string issuer;
    std::string serial;
    std::string sha256;  // 32 raw bytes
};

// A certificate to bind: what names it and what a later renewal is matched against.
struct NewCertBinding {
    AccountId account = 0;
    CertificateKey key;
    std::vector<std::string> crl_urls;
    std::string subject;                   // RFC 2253
    std::int64_t not_before = 0;           // unix seconds
    std::int64_t not_after = 0;            // unix seconds
    std::optional<std::int64_t> renews{};  // the binding of the certificate it renews
    bool pending = false;                  // waits for `mailadm cert approve`
};

struct CertBinding {
    std::int64_t id = 0;
    AccountId account = 0;
    std::string issuer;
    std::string serial;
    std::string sha256_hex;
    std::int64_t created_at = 0;  // unix seconds
    std::optional<std::int64_t> revoked_at;
    std::vector<std::string> crl_urls;
    std::optional<std::string> subject;  // none for bindings made before renewals
    std::optional<std::int64_t> not_after;
    std::optional<std::int64_t> renews;
    bool pending = false;
};

class CertStore {
public:
    explicit CertStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // The changes write the AUDIT entry of each binding they make, approve or revoke in their
    // own transaction (storage/audited.hpp).
    // Exists: the certificate is bound (to this or another account) and not revoked.
    Task<CertBinding> bind(const NewCertBinding& binding, const AuditOf<CertBinding>& audit);
    Task<std::vector<CertBinding>> list(AccountId account);
    // The active binding of exactly KEY, one pending approval when PENDING; NotFound when none.
    Task<CertBinding> find(const CertificateKey& key, bool pending = false);
    // The newest active binding of a certificate from KEY's issuer for SUBJECT valid from
    // before NOT_BEFORE: the one the certificate KEY renews. NotFound when none, and when KEY
    // was ever bound (its revocation is final; a pending binding waits for approval).
    Task<CertBinding> find_renewed(
        const CertificateKey& key, const std::string& subject, std::int64_t not_before
    );
    // Activates pending binding ID; NotFound when there is no such pending binding.
    Task<CertBinding> approve(std::int64_t id, const AuditOf<CertBinding>& audit);
    // Revokes binding ID of ACCOUNT, or every active one when ID is empty; returns them.
    Task<std::vector<CertBinding>> revoke(
        AccountId account, std::optional<std::int64_t> id, const AuditOf<CertBinding>& audit
    );
    // The CRL distribution points of every active binding, each once.
    Task<std::vector<std::string>> crl_urls();

private:
    Pool& pool_;
};

}  // namespace govmail::storage
