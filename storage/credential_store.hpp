#pragma once

// Login credentials of accounts: the Argon2id hash of the password a person chose, and app
// passwords (random secrets per device, stored as their SHA-256, revocable, last use kept).
// The store never sees a secret in clear: callers hash before.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct AppPassword {
    std::int64_t id = 0;
    std::string device;
    std::int64_t created_at = 0;  // unix seconds
    std::optional<std::int64_t> last_used_at;
    std::optional<std::string> last_used_from;
    std::optional<std::int64_t> revoked_at;
};

class CredentialStore {
public:
    explicit CredentialStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // The PHC string, or nothing when no password is set. NotFound: no such account.
    Task<std::optional<std::string>> password_hash(AccountId account);
    // Changes below write AUDIT in their own transaction (storage/audited.hpp).
    Task<void> set_password_hash(AccountId account, std::string_view phc, const AuditEntry& audit);

    // Exists: an active app password with that device name (any case) already exists.
    Task<AppPassword> create_app_password(
        AccountId account,
        std::string_view device,
        std::string_view secret_sha256,
        const AuditOf<AppPassword>& audit
    );
    Task<std::vector<AppPassword>> list_app_passwords(AccountId account);
    // The active app password with that digest; NotFound when none.
    Task<AppPassword> find_app_password(AccountId account, std::string_view secret_sha256);
    // NotFound: no active app password with that id.
    Task<AppPassword> revoke_app_password(
        AccountId account, std::int64_t id, const AuditOf<AppPassword>& audit
    );
    Task<void> record_app_password_use(AccountId account, std::int64_t id, std::string_view from);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
