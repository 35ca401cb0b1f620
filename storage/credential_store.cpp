#include "storage/credential_store.hpp"

#include "storage/audited.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/credentials.hpp"

namespace govmail::storage {

namespace {

AppPassword read_app_password(const PgResult& r, int row) {
    return AppPassword{r.int64(row, 0),         std::string(r.text(row, 1)),
                       r.int64(row, 2),         optional_int64(r, row, 3),
                       r.optional_text(row, 4), optional_int64(r, row, 5)};
}

}  // namespace

CredentialStore::Task<std::optional<std::string>> CredentialStore::password_hash(AccountId account
) {
    co_return co_await run_one_row(
        pool_, sql::kFindPasswordHash, Params(account),
        [](const PgResult& r, int row) { return r.optional_text(row, 0); }
    );
}

CredentialStore::Task<void> CredentialStore::set_password_hash(
    AccountId account, std::string_view phc, const AuditEntry& audit
) {
    co_return co_await statement_audited(pool_, sql::kSetPasswordHash, Params(account, phc), audit);
}

CredentialStore::Task<AppPassword> CredentialStore::create_app_password(
    AccountId account,
    std::string_view device,
    std::string_view secret_sha256,
    const AuditOf<AppPassword>& audit
) {
    co_return co_await one_row_audited(
        pool_, sql::kInsertAppPassword, Params(account, device, Binary{secret_sha256}),
        read_app_password, audit
    );
}

CredentialStore::Task<std::vector<AppPassword>> CredentialStore::list_app_passwords(
    AccountId account
) {
    co_return co_await run_all_rows(
        pool_, sql::kListAppPasswords, Params(account), read_app_password
    );
}

CredentialStore::Task<AppPassword> CredentialStore::find_app_password(
    AccountId account, std::string_view secret_sha256
) {
    co_return co_await run_one_row(
        pool_, sql::kFindAppPassword, Params(account, Binary{secret_sha256}), read_app_password
    );
}

CredentialStore::Task<AppPassword> CredentialStore::revoke_app_password(
    AccountId account, std::int64_t id, const AuditOf<AppPassword>& audit
) {
    co_return co_await one_row_audited(
        pool_, sql::kRevokeAppPassword, Params(account, id), read_app_password, audit
    );
}

CredentialStore::Task<void> CredentialStore::record_app_password_use(
    AccountId account, std::int64_t id, std::string_view from
) {
    auto r = co_await run_statement(pool_, sql::kTouchAppPassword, Params(account, id, from));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

}  // namespace govmail::storage
