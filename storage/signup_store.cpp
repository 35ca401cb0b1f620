#include "storage/signup_store.hpp"

#include "storage/audited.hpp"
#include "storage/directory_store.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/signup.hpp"

namespace govmail::storage {
namespace {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

SignupRequest read_request(const PgResult& r, int row) {
    SignupRequest s;
    s.id = r.int64(row, 0);
    s.employee_no = r.optional_text(row, 1);
    s.mail_id = r.text(row, 2);
    s.cert_issuer = r.optional_text(row, 3);
    s.cert_serial = r.optional_text(row, 4);
    s.cert_sha256_hex = r.optional_text(row, 5);
    s.cert_pem = r.optional_text(row, 6);
    s.source = r.optional_text(row, 7);
    s.state = r.text(row, 8);
    s.reason = r.optional_text(row, 9);
    s.decided_by = r.optional_text(row, 10);
    s.created_at = r.int64(row, 11);
    s.decided_at = optional_int64(r, row, 12);
    return s;
}

constexpr std::string_view kApproved = "approved";
constexpr std::string_view kRejected = "rejected";

}  // namespace

SignupStore::Task<SignupEligibility> SignupStore::eligibility(
    std::string_view employee_no, std::uint32_t days, std::string_view timezone
) {
    co_return co_await run_one_row(
        pool_, sql::kSignupEligibleFrom,
        Params(employee_no, timezone, static_cast<std::int64_t>(days)),
        [](const PgResult& r, int row) {
            return SignupEligibility{
                optional_int64(r, row, 0), r.optional_text(row, 1).value_or("")};
        }
    );
}

SignupStore::Task<SignupRequest> SignupStore::file(
    const NewSignup& signup, const AuditOf<SignupRequest>& audit
) {
    Params params(signup.employee_no, signup.mail_id);
    if (const auto& cert = signup.certificate) {
        params.add(cert->issuer).add(cert->serial).add(Binary{cert->sha256}).add(cert->pem);
    } else {
        params.add(std::nullopt).add(std::nullopt).add(std::nullopt).add(std::nullopt);
    }
    params.add(signup.source);
    co_return co_await one_row_audited(pool_, sql::kFileSignup, params, read_request, audit);
}

SignupStore::Task<std::vector<SignupRequest>> SignupStore::list(bool pending_only) {
    co_return co_await run_all_rows(pool_, sql::kListSignups, Params(pending_only), read_request);
}

SignupStore::Task<SignupRequest> SignupStore::find(SignupId id) {
    co_return co_await run_one_row(pool_, sql::kFindSignup, Params(id), read_request);
}

SignupStore::Task<ApprovedSignup> SignupStore::approve(
    const SignupApproval& approval, const AuditOf<ApprovedSignup>& audit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<ApprovedSignup> {
        auto decided = co_await conn.execute(
            sql::kDecideSignup,
            Params(approval.request, kApproved, approval.reason, approval.decided_by)
        );
        if (!decided) {
            co_return decided.error();
        }
        if (decided->empty()) {
            co_return make_error_code(Errc::NotFound);
        }
        if (approval.employee_no) {
            if (auto linked = co_await link_account(conn, approval.account, *approval.employee_no);
                !linked) {
                co_return linked.error();
            }
        }
        auto bound = co_await conn.execute(
            sql::kBindSignupCertificate,
            Params(
                approval.account, approval.request, approval.certificate.crl_urls,
                approval.certificate.subject, approval.certificate.not_before,
                approval.certificate.not_after
            )
        );
        if (!bound) {
            co_return bound.error();
        }
        ApprovedSignup approved{read_request(*decided, 0), !bound->empty()};
        if (auto appended = co_await append_audit(conn, audit(approved)); !appended) {
            co_return appended.error();
        }
        co_return approved;
    });
}

SignupStore::Task<SignupRequest> SignupStore::reject(
    SignupId id, std::string reason, std::string decided_by, const AuditEntry& audit
) {
    co_return co_await one_row_audited(
        pool_, sql::kDecideSignup, Params(id, kRejected, reason, decided_by), read_request,
        [&](const SignupRequest&) { return audit; }
    );
}

}  // namespace govmail::storage
