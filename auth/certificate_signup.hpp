#pragma once

// The first certificate login of someone without an account (SPEC "Signup"): a good GPKI
// certificate that is bound to no account files a signup request for its owner, found in the
// directory by the certificate's identity, asking for the mail ID the directory holds for
// them, and the login fails telling them the request is pending. Only from the configured
// signup networks; a request already pending is not filed twice. An administrator decides it
// with `mailadm signup list|approve|reject`. The portal files nothing itself: it takes the
// applicant to its signup page, which files the request with the certificate. A renewed
// certificate of someone who has an account is no signup: it follows its owner
// (auth/certificate_renewal.hpp).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <functional>
#include <optional>
#include <string>

#include "auth/authenticator.hpp"
#include "auth/certificate_renewal.hpp"
#include "auth/gpki_certificate.hpp"
#include "common/config.hpp"
#include "common/result.hpp"
#include "storage/directory_store.hpp"
#include "storage/signup_store.hpp"

namespace govmail::auth {

inline constexpr std::string_view kCertificateUnboundText =
    "Certificate is not bound to a mail account; ask for one at signup";

struct CertificateSignupOutcome {
    std::string text;                        // what the client is told
    std::optional<storage::SignupId> filed;  // the request filed by this login
    std::string detail;                      // for the audit log
    std::optional<CertificateApplicant> applicant = std::nullopt;  // FILE false, may ask
};

class CertificateSignup {
public:
    CertificateSignup(storage::Pool& pool, SignupConfig config, CertificateRenewal renewal);

    // The binding IDENTITY logs in by: its own or, for a renewed certificate, one made now.
    // NotFound: call request().
    boost::asio::awaitable<Result<storage::CertBinding>> find_binding(
        const CertificateIdentity& identity
    );

    // CERTIFICATE (with IDENTITY, already verified) was presented from SOURCE: files the
    // request when FILE, with its signup.request entry (AUDIT of the outcome's detail) in the
    // same transaction, else only names the applicant. An error when the store failed.
    boost::asio::awaitable<Result<CertificateSignupOutcome>> request(
        X509* certificate,
        const CertificateIdentity& identity,
        boost::asio::ip::address source,
        bool file,
        const std::function<storage::AuditEntry(std::string detail)>& audit
    );

private:
    storage::DirectoryStore directory_;
    storage::SignupStore signups_;
    CertificateRenewalPolicy renewals_;
    SignupConfig config_;
};

}  // namespace govmail::auth
