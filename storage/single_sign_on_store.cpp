#include "storage/single_sign_on_store.hpp"

#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/single_sign_on.hpp"

namespace govmail::storage {
namespace {

// Result<void> from a statement that returns one row when it did its job, FAILURE otherwise.
Result<void> one_row_or(const Result<PgResult>& r, Errc failure) {
    if (!r) {
        return r.error();
    }
    if (r->empty()) {
        return make_error_code(failure);
    }
    return {};
}

}  // namespace

SingleSignOnStore::Task<void> SingleSignOnStore::record_saml_request(
    std::string request_id, std::chrono::seconds lifetime
) {
    auto r = co_await run_statement(
        pool_, sql::kRecordSamlRequest, Params(request_id, lifetime.count())
    );
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

SingleSignOnStore::Task<void> SingleSignOnStore::take_saml_request(std::string request_id) {
    const auto r = co_await run_statement(pool_, sql::kTakeSamlRequest, Params(request_id));
    co_return one_row_or(r, Errc::NotFound);
}

SingleSignOnStore::Task<void> SingleSignOnStore::record_saml_assertion(
    std::string assertion_id, std::int64_t expires_at
) {
    const auto r =
        co_await run_statement(pool_, sql::kRecordSamlAssertion, Params(assertion_id, expires_at));
    co_return one_row_or(r, Errc::Exists);
}

SingleSignOnStore::Task<void> SingleSignOnStore::create_oauth_code(
    std::string code_sha256,
    AccountId account,
    std::string client_id,
    std::string redirect_uri,
    std::string code_challenge,
    std::chrono::seconds lifetime
) {
    Params params;
    params.add(Binary{code_sha256});
    params.add(account).add(client_id).add(redirect_uri).add(code_challenge);
    params.add(lifetime.count());
    auto r = co_await run_statement(pool_, sql::kCreateOauthCode, params);
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

SingleSignOnStore::Task<OauthCode> SingleSignOnStore::take_oauth_code(std::string code_sha256) {
    Params params;
    params.add(Binary{code_sha256});
    co_return co_await run_one_row(
        pool_, sql::kTakeOauthCode, params,
        [](const PgResult& r, int row) {
            return OauthCode{
                r.int64(row, 0), std::string(r.text(row, 1)), std::string(r.text(row, 2)),
                std::string(r.text(row, 3)), std::string(r.text(row, 4))};
        }
    );
}

}  // namespace govmail::storage
