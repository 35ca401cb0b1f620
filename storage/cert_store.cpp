#include "storage/cert_store.hpp"

#include "storage/audited.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/certs.hpp"

namespace govmail::storage {

namespace {

CertBinding read_binding(const PgResult& r, int row) {
    return CertBinding{
        r.int64(row, 0),
        r.int64(row, 1),
        std::string(r.text(row, 2)),
        std::string(r.text(row, 3)),
        std::string(r.text(row, 4)),
        r.int64(row, 5),
        optional_int64(r, row, 6),
        r.text_array(row, 7),
        r.optional_text(row, 8),
        optional_int64(r, row, 9),
        optional_int64(r, row, 10),
        r.boolean(row, 11)};
}

}  // namespace

CertStore::Task<CertBinding> CertStore::bind(
    const NewCertBinding& b, const AuditOf<CertBinding>& audit
) {
    const Params params(
        b.account, b.key.issuer, b.key.serial, Binary{b.key.sha256}, b.crl_urls, b.subject,
        b.not_before, b.not_after, b.renews, b.pending
    );
    co_return co_await one_row_audited(pool_, sql::kBindCertificate, params, read_binding, audit);
}

CertStore::Task<std::vector<CertBinding>> CertStore::list(AccountId account) {
    co_return co_await run_all_rows(pool_, sql::kListCertBindings, Params(account), read_binding);
}

CertStore::Task<CertBinding> CertStore::find(const CertificateKey& key, bool pending) {
    co_return co_await run_one_row(
        pool_, sql::kFindCertBinding, Params(Binary{key.sha256}, key.issuer, key.serial, pending),
        read_binding
    );
}

CertStore::Task<CertBinding> CertStore::find_renewed(
    const CertificateKey& key, const std::string& subject, std::int64_t not_before
) {
    const Params params(key.issuer, subject, not_before, Binary{key.sha256});
    co_return co_await run_one_row(pool_, sql::kFindRenewedCertBinding, params, read_binding);
}

CertStore::Task<CertBinding> CertStore::approve(
    std::int64_t id, const AuditOf<CertBinding>& audit
) {
    co_return co_await one_row_audited(
        pool_, sql::kApproveCertBinding, Params(id), read_binding, audit
    );
}

CertStore::Task<std::vector<CertBinding>> CertStore::revoke(
    AccountId account, std::optional<std::int64_t> id, const AuditOf<CertBinding>& audit
) {
    co_return co_await all_rows_audited(
        pool_, sql::kRevokeCertBindings, Params(account, id), read_binding, audit
    );
}

CertStore::Task<std::vector<std::string>> CertStore::crl_urls() {
    co_return co_await run_all_rows(
        pool_, sql::kActiveCrlUrls, Params(),
        [](const PgResult& r, int row) { return std::string(r.text(row, 0)); }
    );
}

}  // namespace govmail::storage
