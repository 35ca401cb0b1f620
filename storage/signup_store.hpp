#pragma once

// Signup requests: a person asks for an account with a mail ID (and usually the certificate
// they signed in with); an administrator approves or rejects it. Approval links the new
// account to the person and binds the certificate in one transaction; the account itself is
// created before with Mailstore::create_account.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

using SignupId = std::int64_t;

// The certificate a request carries.
struct SignupCertificate {
    std::string issuer;
    std::string serial;
    std::string sha256;  // 32 raw bytes of the DER's SHA-256
    std::string pem;
};

struct NewSignup {
    std::optional<std::string> employee_no;
    std::string mail_id;
    std::optional<SignupCertificate> certificate;
    std::optional<std::string> source;  // numeric address the request came from
};

struct SignupRequest {
    SignupId id = 0;
    std::optional<std::string> employee_no;
    std::string mail_id;
    std::optional<std::string> cert_issuer;
    std::optional<std::string> cert_serial;
    std::optional<std::string> cert_sha256_hex;
    std::optional<std::string> cert_pem;
    std::optional<std::string> source;
    std::string state;  // "pending", "approved" or "rejected"
    std::optional<std::string> reason;
    std::optional<std::string> decided_by;
    std::int64_t created_at = 0;  // unix seconds
    std::optional<std::int64_t> decided_at;
};

// What the binding of a request's certificate records beyond the request's own columns, so
// that the certificate's renewal later finds it.
struct BindingFacts {
    std::vector<std::string> crl_urls;
    std::optional<std::string> subject;
    std::optional<std::int64_t> not_before;  // unix seconds
    std::optional<std::int64_t> not_after;
};

struct SignupApproval {
    SignupId request = 0;
    AccountId account = 0;                   // created for it
    std::optional<std::string> employee_no;  // the person the account becomes
    BindingFacts certificate;                // of the request's certificate
    std::optional<std::string> reason;       // why checks were overridden, if they were
    std::string decided_by;
};

// When a person may be approved: `[signup] eligible_after_days` after their directory entry
// first had everything a signup needs, from midnight in the server's time zone.
struct SignupEligibility {
    std::optional<std::int64_t> from;  // unix seconds; nothing for an entry never complete
    std::string day;                   // YYYY-MM-DD in the time zone, or empty

    bool reached(std::int64_t now) const { return from && now >= *from; }
};

struct ApprovedSignup {
    SignupRequest request;
    bool certificate_bound = false;
};

class SignupStore {
public:
    explicit SignupStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Exists: a request for the same mail ID is pending. Writes AUDIT's entry for the request
    // in the filing transaction.
    Task<SignupRequest> file(const NewSignup& signup, const AuditOf<SignupRequest>& audit);
    Task<std::vector<SignupRequest>> list(bool pending_only);
    Task<SignupRequest> find(SignupId id);
    // NotFound: nobody has EMPLOYEE_NO. TIMEZONE is an IANA name ([server] timezone).
    Task<SignupEligibility> eligibility(
        std::string_view employee_no, std::uint32_t days, std::string_view timezone
    );
    // NotFound: the request is not pending (any more). Exists: the certificate is bound to
    // another account.
    // Both write their AUDIT entry in the deciding transaction.
    Task<ApprovedSignup> approve(
        const SignupApproval& approval, const AuditOf<ApprovedSignup>& audit
    );
    Task<SignupRequest> reject(
        SignupId id, std::string reason, std::string decided_by, const AuditEntry& audit
    );

private:
    Pool& pool_;
};

}  // namespace govmail::storage
