#pragma once

// The Authenticator over the PostgreSQL account store. Password logins accept the account's
// password (Argon2id) or one of its app passwords; before checking anything the login name
// and source address must be free of a brute-force lock, and after the check only an active
// account gets in, acting only as itself. Every attempt, lock and refusal is audited.
// Certificate (EXTERNAL) and token (OAUTHBEARER) logins are refused until their checks exist.

#include <optional>
#include <string_view>

#include "auth/authenticator.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "common/config.hpp"
#include "storage/audit_store.hpp"
#include "storage/credential_store.hpp"
#include "storage/mailstore.hpp"

namespace govmail::auth {

// What clients are told. Unknown names and wrong secrets get the same text.
inline constexpr std::string_view kLoginFailedText = "Authentication failed";
inline constexpr std::string_view kLoginLockedText =
    "Too many failed logins; try again later";
inline constexpr std::string_view kAccountInactiveText =
    "Account is not active; contact your administrator";
inline constexpr std::string_view kAuthzidRefusedText = "Not authorized to act as that user";
inline constexpr std::string_view kTemporaryFailureText =
    "Temporary authentication failure; try again later";

// The method as the audit log names it: "password", "external", "bearer".
std::string_view method_name(Method method);

class DatabaseAuthenticator final : public Authenticator {
public:
    DatabaseAuthenticator(storage::Pool& pool, const AuthConfig& config);

    boost::asio::awaitable<LoginResult> login(const LoginAttempt& attempt) override;

    // The PHC string for PASSWORD, hashed off the caller's thread (mailadm, the portal).
    boost::asio::awaitable<std::string> hash_password(std::string password);

private:
    struct Attempt;  // what an attempt is audited and throttled by
    struct Match;    // which credential matched

    boost::asio::awaitable<LoginResult> password_login(const LoginAttempt& attempt);
    boost::asio::awaitable<LoginResult> method_not_available(const LoginAttempt& attempt);
    boost::asio::awaitable<Result<std::optional<Match>>> check_secret(
        const storage::Account& account, const std::string& secret
    );
    boost::asio::awaitable<LoginResult> refuse_credentials(
        const Attempt& facts, std::optional<storage::AccountId> account
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
    LoginThrottle throttle_;
    PasswordHasher hasher_;
};

}  // namespace govmail::auth
