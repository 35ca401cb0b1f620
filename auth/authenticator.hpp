#pragma once

// The one interface through which every caller (smtpd, imapd, ManageSieve, the portal and its
// OnePass sign-in, mailadm) logs a user in. The daemons do the SASL framing of their protocol
// (auth/sasl_server.hpp turns the exchange into a LoginAttempt) and hand over the decoded
// credentials with what the connection knows (TLS session, source address); the answer is
// an account or a reason the client may be shown. Every attempt is audited by the
// implementation, which also applies rate limits.

#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "storage/signup_store.hpp"
#include "storage/types.hpp"

namespace govmail::auth {

enum class Method {
    Password,  // AUTH PLAIN/LOGIN, IMAP LOGIN: password (+ SMS code) or an app password
    External,  // SASL EXTERNAL: the TLS client certificate
    Bearer,    // SASL OAUTHBEARER / XOAUTH2: an access token
    OnePass,   // Digital OnePass (portal): the person a verified SAML assertion named
};

// What the login is for; the audit log names it (service_name).
enum class Service {
    Imap,
    Smtp,
    ManageSieve,
    Portal,
};

// "imap", "smtp", "sieve", "portal": as the audit log has always named them.
constexpr std::string_view service_name(Service service) {
    switch (service) {
        case Service::Imap:
            return "imap";
        case Service::Smtp:
            return "smtp";
        case Service::ManageSieve:
            return "sieve";
        case Service::Portal:
            return "portal";
    }
    return "unknown";
}

// The owner of an unbound certificate who may ask for an account, and the certificate.
struct CertificateApplicant {
    std::string employee_no;
    storage::SignupCertificate certificate;
};

struct LoginAttempt {
    Method method = Method::Password;
    std::string authzid;  // requested authorisation identity; empty: the authenticated one
    // authentication identity (login name or address; OnePass: the person's employee number);
    // may be empty for EXTERNAL
    std::string user;
    std::string secret;  // password or token; never logged
    SSL* tls = nullptr;  // the TLS session, for EXTERNAL (and to know TLS is on)
    boost::asio::ip::address source;
    Service service = Service::Imap;
    // EXTERNAL with an unbound certificate: name its owner (LoginResult::applicant) rather than
    // file their signup request; the portal's signup page files it.
    bool signup_by_page = false;
};

// An attempt for SERVICE with what the connection knows (TLS session, source address); the
// method and the credentials come with the exchange.
inline LoginAttempt connection_attempt(
    Service service, SSL* tls, const boost::asio::ip::address& source
) {
    LoginAttempt attempt;
    attempt.service = service;
    attempt.tls = tls;
    attempt.source = source;
    return attempt;
}

struct LoginResult {
    std::optional<storage::Account> account;  // set on success
    // On failure: text safe to show the client (the same for unknown users and wrong
    // passwords), e.g. "Authentication failed" or the SMS code instruction.
    std::string failure_text;
    // Failure is temporary (database down): SMTP 454 4.7.0, IMAP NO [UNAVAILABLE].
    bool temporary = false;
    // For OAUTHBEARER: the RFC 7628 JSON error the server sends before failing.
    std::string bearer_error_json;
    // The password was right and an SMS code is now expected (sent, pending or mistyped):
    // the portal then asks for the code.
    bool code_requested = false;
    // With code_requested: the account the code is for (the portal's pending sign-in).
    std::optional<storage::AccountId> code_account = std::nullopt;
    // Set for LoginAttempt::signup_by_page when the certificate's owner may ask for an account.
    std::optional<CertificateApplicant> applicant = std::nullopt;
};

class Authenticator {
public:
    virtual ~Authenticator() = default;
    virtual boost::asio::awaitable<LoginResult> login(const LoginAttempt& attempt) = 0;
};

}  // namespace govmail::auth
