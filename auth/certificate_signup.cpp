#include "auth/certificate_signup.hpp"

#include "common/network.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::auth {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kNotInDirectoryText =
    "Certificate is not bound to a mail account and its owner has no mail ID in the directory; "
    "contact your administrator";

CertificateSignupOutcome told(std::string text, std::string detail) {
    return CertificateSignupOutcome{std::move(text), std::nullopt, std::move(detail)};
}

}  // namespace

CertificateSignup::CertificateSignup(
    storage::Pool& pool, SignupConfig config, CertificateRenewal renewal
)
    : directory_(pool), signups_(pool), renewals_(pool, renewal), config_(std::move(config)) {}

asio::awaitable<Result<storage::CertBinding>> CertificateSignup::find_binding(
    const CertificateIdentity& identity
) {
    co_return co_await renewals_.find_binding(identity);
}

asio::awaitable<Result<CertificateSignupOutcome>> CertificateSignup::request(
    X509* certificate,
    const CertificateIdentity& identity,
    asio::ip::address source,
    bool file,
    const std::function<storage::AuditEntry(std::string detail)>& audit
) {
    const auto held = co_await renewals_.pending(identity);
    if (!held) {
        co_return held.error();
    }
    if (*held) {
        co_return told(std::string(kRenewalPendingText), "renewed certificate held for approval");
    }
    if (!allowed_from(config_.networks, source)) {
        co_return told(
            std::string(kCertificateUnboundText),
            "unbound certificate; signup not allowed from this network"
        );
    }
    const auto person =
        co_await directory_.find_by_certificate(identity.subject, identity.common_name);
    if (!person) {
        if (person.error() != make_error_code(storage::Errc::NotFound)) {
            co_return person.error();
        }
        co_return told(
            std::string(kNotInDirectoryText), "unbound certificate; owner not in the directory"
        );
    }
    if (person->mail_id.empty()) {
        co_return told(
            std::string(kNotInDirectoryText), "unbound certificate; no mail ID in the directory"
        );
    }
    const storage::SignupCertificate signup_certificate{
        identity.issuer, identity.serial, identity.sha256, certificate_pem(certificate)};
    if (!file) {
        auto out = told(
            std::string(kCertificateUnboundText),
            "unbound certificate; signup page offered to employee " + person->employee_no
        );
        out.applicant = CertificateApplicant{person->employee_no, signup_certificate};
        co_return out;
    }
    const storage::NewSignup signup{
        person->employee_no, person->mail_id, signup_certificate, source.to_string()};
    const auto filed_detail = [&](const storage::SignupRequest& filed) {
        return "signup request " + std::to_string(filed.id) + " filed for employee " +
               person->employee_no;
    };
    const auto filed = co_await signups_.file(signup, [&](const storage::SignupRequest& r) {
        return audit(filed_detail(r));
    });
    if (!filed) {
        if (filed.error() != make_error_code(storage::Errc::Exists)) {
            co_return filed.error();
        }
        co_return told(
            "Your signup request for mail ID " + person->mail_id +
                " is pending approval by your administrator",
            "unbound certificate; signup request already pending"
        );
    }
    const auto id = std::to_string(filed->id);
    co_return CertificateSignupOutcome{
        "Signup request " + id + " for mail ID " + person->mail_id +
            " filed; you can log in once your administrator approves it",
        filed->id, filed_detail(*filed)};
}

}  // namespace govmail::auth
