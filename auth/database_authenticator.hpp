#pragma once

// The Authenticator over the PostgreSQL account store. Password logins accept the account's
// password (Argon2id) or one of its app passwords; before checking anything the login name
// and source address must be free of a brute-force lock, and after the check only an active
// account gets in, acting only as itself. Every attempt, lock and refusal is audited.
// Certificate logins (EXTERNAL) need a GPKI certificate that passes GpkiVerifier and is bound
// to the account; token logins (OAUTHBEARER, XOAUTH2) a token that passes TokenVerifier and
// names the account. Neither is counted by the brute-force throttle: a certificate needs
// its private key and a token its signature, so there is nothing to guess; their refusals
// are audited like every other. The same active-account and authorisation checks end all three.

#include <memory>
#include <optional>
#include <string_view>

#include "auth/authenticator.hpp"
#include "auth/gpki_verifier.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_service.hpp"
#include "common/config.hpp"
#include "storage/audit_store.hpp"
#include "storage/cert_store.hpp"
#include "storage/credential_store.hpp"
#include "storage/mailstore.hpp"

namespace govmail::auth {

// What clients are told. Unknown names and wrong secrets get the same text.
inline constexpr std::string_view kLoginFailedText = "Authentication failed";
inline constexpr std::string_view kLoginLockedText = "Too many failed logins; try again later";
inline constexpr std::string_view kAccountInactiveText =
    "Account is not active; contact your administrator";
inline constexpr std::string_view kAuthzidRefusedText = "Not authorized to act as that user";
inline constexpr std::string_view kTemporaryFailureText =
    "Temporary authentication failure; try again later";
inline constexpr std::string_view kCertificateLoginOffText =
    "Certificate login is not enabled on this server";
inline constexpr std::string_view kCertificateUnboundText =
    "Certificate is not bound to a mail account; ask for one at signup";
inline constexpr std::string_view kTokenUnknownAccountText = "Token names no account here";

// The method as the audit log names it: "password", "external", "bearer".
std::string_view method_name(Method method);

class DatabaseAuthenticator final : public Authenticator {
public:
    // Throws std::runtime_error when the configured GPKI CA bundle cannot be read.
    DatabaseAuthenticator(storage::Pool& pool, const AuthConfig& config);

    boost::asio::awaitable<LoginResult> login(const LoginAttempt& attempt) override;

    // The PHC string for PASSWORD, hashed off the caller's thread (mailadm, the portal).
    boost::asio::awaitable<std::string> hash_password(std::string password);

private:
    struct Attempt;  // what an attempt is audited and throttled by
    struct Match;    // which credential matched

    static Attempt describe(const LoginAttempt& attempt);
    boost::asio::awaitable<LoginResult> password_login(const LoginAttempt& attempt);
    boost::asio::awaitable<LoginResult> certificate_login(const LoginAttempt& attempt);
    boost::asio::awaitable<LoginResult> token_login(const LoginAttempt& attempt);
    // After a certificate or token proved who logs in: the account checks, then the login.
    boost::asio::awaitable<LoginResult> verified_login(
        const Attempt& facts,
        const LoginAttempt& attempt,
        const Result<storage::Account>& account,
        std::string_view unknown_text,
        const std::string& detail
    );
    // A refusal when ACCOUNT may not log in (not active, or ATTEMPT asks to act as another).
    boost::asio::awaitable<std::optional<LoginResult>> refuse_account(
        const Attempt& facts, const LoginAttempt& attempt, const storage::Account& account
    );
    boost::asio::awaitable<LoginResult> refuse(
        const Attempt& facts, std::string_view text, std::optional<storage::AccountId> account
    );
    boost::asio::awaitable<Result<std::optional<Match>>> check_secret(
        const storage::Account& account, const std::string& secret
    );
    boost::asio::awaitable<LoginResult> refuse_credentials(
        const Attempt& facts, const Admission& admission, std::optional<storage::AccountId> account
    );
    boost::asio::awaitable<LoginResult> accept(
        const Attempt& facts, const storage::Account& account, const Match& match
    );
    boost::asio::awaitable<Result<void>> audit(
        const Attempt& facts,
        std::string_view action,
        std::optional<storage::AccountId> account,
        std::string_view detail
    );

    AuthConfig config_;
    storage::Mailstore accounts_;
    storage::CredentialStore credentials_;
    storage::AuditStore audit_;
    storage::CertStore certs_;
    LoginThrottle throttle_;
    PasswordHasher hasher_;
    std::unique_ptr<GpkiVerifier> gpki_;  // null: certificate login is off
    TokenVerifier tokens_;
};

}  // namespace govmail::auth
