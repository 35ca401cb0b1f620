#pragma once

// Certificate bindings: a GPKI certificate, named by issuer + serial and the SHA-256 of its
// DER encoding, logs in as one account (SASL EXTERNAL). A certificate is bound to at most
// one account at a time; revoked bindings stay for the record.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct CertificateKey {
    std::string issuer;
    std::string serial;
    std::string sha256;  // 32 raw bytes
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
};

class CertStore {
public:
    explicit CertStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Exists: the certificate is bound (to this or another account) and not revoked.
    Task<CertBinding> bind(
        AccountId account, const CertificateKey& key, const std::vector<std::string>& crl_urls
    );
    Task<std::vector<CertBinding>> list(AccountId account);
    // The active binding of exactly KEY; NotFound when none.
    Task<CertBinding> find(const CertificateKey& key);
    // Revokes binding ID of ACCOUNT, or every active one when ID is empty; returns them.
    Task<std::vector<CertBinding>> revoke(AccountId account, std::optional<std::int64_t> id);
    // The CRL distribution points of every active binding, each once.
    Task<std::vector<std::string>> crl_urls();

private:
    Pool& pool_;
};

}  // namespace govmail::storage
