#pragma once

// The Authenticator over the PostgreSQL account store. Password logins accept the account's
// password (Argon2id) or one of its app passwords. The login name must be canonical
// (common/names.hpp: no control characters, ASCII case folded as SQL folds it) or it is
// refused unlooked-up. App passwords, long random secrets, are judged first and apart from
// the brute-force lock, so wrong passwords cannot lock an official's devices out. Before the
// password is compared, the account (whichever spelling of its name was given; an unknown
// name by itself) and the source address must be free of a brute-force lock, and after the
// check only an active account gets in, acting only as itself. Every attempt, lock and refusal is
// audited. Certificate logins (EXTERNAL) need a GPKI certificate that passes GpkiVerifier and is
// bound to the account; token logins (OAUTHBEARER, XOAUTH2) a token that passes TokenVerifier and
// names the account. Neither is counted by the brute-force throttle: a certificate needs
// its private key and a token its signature, so there is nothing to guess; their refusals
// are audited like every other. OnePass sign-ins (the portal's SAML, auth/saml/) come with the
// employee number of the person a verified assertion named: a retired person or one without an
// account is refused, and, like a certificate or a token, the sign-in is not counted by the
// brute-force throttle (the assertion is signed) but audited as every other. The same
// may-log-in (storage::may_log_in) and authorisation checks end all four.
//
// The SMS second factor ([sms]; SPEC "ID + password + SMS code") for password logins of
// person accounts, built to work in unmodified clients, whose only field is the password:
// - "password" alone, right: a fresh 6-digit code (auth/secrets.hpp) goes by SMS to the
//   person's mobile number (the one confirmed in the portal, else the directory's), and the
//   login fails telling the user
//   to log in again with the password followed by the code. While a code is pending no
//   second SMS goes out (clients retrying on their own get the same answer), and at most
//   max_per_hour codes per account and hour.
// - "password123456": when the whole secret is not the password and it ends in six digits,
//   the part before is checked as the password and the digits as the code. A trusted
//   credential (this exact password + code passed before, within trust_window) logs in
//   without a code. Otherwise the digits must be the pending code (compared in constant
//   time as salted SHA-256): a match uses the code up and trusts the credential; a miss
//   counts an attempt, and max_attempts misses void the code. A credential whose trust
//   ended (window over, new number, suspend) is treated as the password alone, so a client
//   still sending it is sent a new code instead of spending the attempts of a pending one.
// - Codes expire after code_lifetime; the right code too late gets a new code.
// - No usable mobile number on file: refused with a text pointing to the administrator
//   (or to a certificate or an app password).
// Wrong passwords go through the brute-force throttle as always; wrong codes are limited by
// the code's attempts (the password was right). App passwords, certificates, tokens and
// service accounts never need a code. Every outcome is audited ("login.code_sent",
// "login.code_pending", "login.code_wrong", "login.code_void", "login.code_expired",
// "login.code_limit", "login.code_unsent", "login.failure", "login.success" with how).
// Unknown users and accounts without a password cost as many Argon2id checks as a real one.

#include <memory>
#include <optional>
#include <string_view>

#include "auth/authenticator.hpp"
#include "auth/certificate_signup.hpp"
#include "auth/credential_cache.hpp"
#include "auth/gpki_verifier.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "auth/sms_gateway.hpp"
#include "auth/token_service.hpp"
#include "common/config.hpp"
#include "storage/audit_store.hpp"
#include "storage/cert_store.hpp"
#include "storage/credential_store.hpp"
#include "storage/directory_store.hpp"
#include "storage/mailstore.hpp"
#include "storage/sms_store.hpp"

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
inline constexpr std::string_view kTokenUnknownAccountText = "Token names no account here";

// The method as the audit log names it: "password", "external", "bearer", "onepass".
std::string_view method_name(Method method);

class DatabaseAuthenticator final : public Authenticator {
public:
    // Throws std::runtime_error when the configured GPKI CA bundle cannot be read or the
    // SMS gateway URL is malformed. The SMS gateway is the one config.sms names.
    DatabaseAuthenticator(storage::Pool& pool, const AuthConfig& config);
    // With GATEWAY instead (null: no SMS can be sent; with config.sms enabled, person
    // accounts then cannot log in with a password).
    DatabaseAuthenticator(
        storage::Pool& pool, const AuthConfig& config, std::unique_ptr<SmsGateway> gateway
    );

    boost::asio::awaitable<LoginResult> login(const LoginAttempt& attempt) override;

    // The SMS code (ATTEMPT.secret) of a password login whose password was right moments
    // ago for ACCOUNT (a LoginResult with code_requested and code_account): the portal's
    // pending sign-in, which keeps no password. Judged as the code part of "password123456"
    // (attempts, expiry, a new code when it expired); never call it without that proof.
    boost::asio::awaitable<LoginResult> confirm_code(
        const LoginAttempt& attempt, storage::AccountId account
    );

    // The PHC string for PASSWORD, hashed off the caller's thread (mailadm, the portal).
    boost::asio::awaitable<std::string> hash_password(std::string password);
    // Whether PASSWORD matches the PHC string, checked off the caller's thread (the portal's
    // password change asks for the current one). No throttle, no audit: the caller's.
    boost::asio::awaitable<bool> verify_password(std::string phc, std::string password);

private:
    struct Attempt;  // what an attempt is audited and throttled by
    struct Match;    // which credential matched

    static Attempt describe(const LoginAttempt& attempt);
    boost::asio::awaitable<LoginResult> password_login(const LoginAttempt& attempt);
    boost::asio::awaitable<LoginResult> certificate_login(const LoginAttempt& attempt);
    boost::asio::awaitable<LoginResult> token_login(const LoginAttempt& attempt);
    boost::asio::awaitable<LoginResult> onepass_login(const LoginAttempt& attempt);
    // A good certificate bound to no account: files a signup request for its owner.
    boost::asio::awaitable<LoginResult> request_signup(
        const Attempt& facts, const LoginAttempt& attempt, const CertificateIdentity& identity
    );
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
    // Whether SECRET is one of ACCOUNT's app passwords.
    boost::asio::awaitable<Result<std::optional<Match>>> find_app_password(
        const storage::Account& account, const std::string& secret
    );
    // Whether SECRET is ACCOUNT's password, or (ALLOW_CODE) its password followed by a code.
    boost::asio::awaitable<Result<std::optional<Match>>> check_password(
        const storage::Account& account, const std::string& secret, bool allow_code
    );
    // Whether PASSWORD matches the PHC string: remembered (credential cache) or checked.
    boost::asio::awaitable<bool> matches_password(const std::string& phc, std::string password);
    // As many Argon2id checks as check_password would make for SECRET, for nobody.
    boost::asio::awaitable<void> check_nothing(const std::string& secret);
    boost::asio::awaitable<LoginResult> refuse_credentials(
        const Attempt& facts, const Admission& admission, std::optional<storage::AccountId> account
    );
    // After the password was right: the SMS code part (see above).
    boost::asio::awaitable<LoginResult> second_factor(
        const Attempt& facts,
        const storage::Account& account,
        const Match& match,
        const std::optional<std::string>& mobile_phone
    );
    // Sends a new code unless one is pending; the answer tells the user what to do.
    // EXPIRED: the user had typed a code that expired.
    boost::asio::awaitable<LoginResult> send_code(
        const Attempt& facts,
        const storage::Account& account,
        const std::string& number,
        bool expired
    );
    boost::asio::awaitable<LoginResult> accept(
        const Attempt& facts, const storage::Account& account, const Match& match
    );
    // The audit entry of ACTION in attempt FACTS.
    static storage::AuditEntry audit_entry(
        const Attempt& facts,
        std::string_view action,
        std::optional<storage::AccountId> account,
        std::string_view detail
    );
    boost::asio::awaitable<Result<void>> audit(
        const Attempt& facts,
        std::string_view action,
        std::optional<storage::AccountId> account,
        std::string_view detail
    );

    AuthConfig config_;
    storage::Mailstore accounts_;
    storage::DirectoryStore directory_;
    storage::CredentialStore credentials_;
    storage::AuditStore audit_;
    storage::SmsStore sms_;
    std::unique_ptr<SmsGateway> sms_gateway_;  // null: no SMS
    LoginThrottle throttle_;
    PasswordHasher hasher_;
    CredentialCache verified_;
    std::unique_ptr<GpkiVerifier> gpki_;  // null: certificate login is off
    CertificateSignup signup_;
    TokenVerifier tokens_;
};

}  // namespace govmail::auth
