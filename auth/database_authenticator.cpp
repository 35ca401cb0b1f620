#include "auth/database_authenticator.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>

#include "auth/failed_login_log.hpp"
#include "auth/gpki_certificate.hpp"
#include "auth/sasl_messages.hpp"
#include "auth/secrets.hpp"
#include "auth/sms_code.hpp"
#include "common/hex.hpp"
#include "common/logging.hpp"
#include "common/names.hpp"
#include "common/utf8.hpp"
#include "storage/account_state.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::auth {
namespace asio = boost::asio;
using asio::awaitable;

constexpr std::size_t kMaxActorBytes = 255;

struct DatabaseAuthenticator::Attempt {
    std::string actor;     // the login name as given, made safe to store
    std::string user_key;  // what the throttle counts: the account, or the unknown name
    std::string source;    // numeric source address
    std::string_view method;
    std::string_view service;
};

struct DatabaseAuthenticator::Match {
    std::string detail;  // "password" or "app password 3 (iPhone)"
    std::optional<std::int64_t> app_password_id;
    std::string password_phc;         // when the password matched: its hash
    std::optional<std::string> code;  // when the password matched before six digits: them
};

namespace {

bool is_plain_text(std::string_view s) {
    if (s.size() > kMaxActorBytes || !is_valid_utf8(s)) {
        return false;
    }
    for (const char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return false;
        }
    }
    return true;
}

// A login name or certificate subject as the audit log may store it.
std::string actor_text(const std::string& s) { return is_plain_text(s) ? s : printable(s); }

bool same_address(std::string_view a, std::string_view b) { return fold_case(a) == fold_case(b); }

LoginResult failure(std::string_view text) { return LoginResult{{}, std::string(text), false, {}}; }

// A failure that asks for the SMS code (LoginResult::code_requested).
LoginResult code_request(std::string_view text) {
    return LoginResult{{}, std::string(text), false, {}, true};
}

LoginResult temporary_failure(boost::system::error_code ec) {
    spdlog::warn("auth: login check failed in storage: {}", ec.message());
    return LoginResult{{}, std::string(kTemporaryFailureText), true, {}};
}

// A password check, or Errc::Temp at once when the hasher's queue is full (HasherBusy).
template <class T>
awaitable<Result<T>> unless_hasher_busy(awaitable<Result<T>> check) {
    try {
        co_return co_await std::move(check);
    } catch (const HasherBusy&) {
        co_return make_error_code(storage::Errc::Temp);
    }
}

awaitable<Result<void>> unless_hasher_busy(awaitable<void> check) {
    try {
        co_await std::move(check);
    } catch (const HasherBusy&) {
        co_return make_error_code(storage::Errc::Temp);
    }
    co_return Result<void>{};
}

}  // namespace

std::string_view method_name(Method method) {
    switch (method) {
        case Method::Password:
            return "password";
        case Method::External:
            return "external";
        case Method::Bearer:
            return "bearer";
        case Method::OnePass:
            return "onepass";
    }
    return "unknown";
}

DatabaseAuthenticator::DatabaseAuthenticator(storage::Pool& pool, const AuthConfig& config)
    : DatabaseAuthenticator(pool, config, make_sms_gateway(config.sms)) {}

DatabaseAuthenticator::DatabaseAuthenticator(
    storage::Pool& pool, const AuthConfig& config, std::unique_ptr<SmsGateway> gateway
)
    : config_(config),
      accounts_(pool),
      directory_(pool),
      credentials_(pool),
      audit_(pool),
      sms_(pool),
      sms_gateway_(std::move(gateway)),
      throttle_(pool, config),
      hasher_(argon2_params(config), config.hash_threads, config.hash_queue_length),
      verified_(config.credential_cache_ttl, config.credential_cache_entries),
      gpki_(config.gpki.ca_bundle.empty() ? nullptr : std::make_unique<GpkiVerifier>(config.gpki)),
      signup_(pool, config.signup, config.gpki.renewal),
      tokens_(config.token) {}

awaitable<std::string> DatabaseAuthenticator::hash_password(std::string password) {
    co_return co_await hasher_.hash(std::move(password));
}

awaitable<bool> DatabaseAuthenticator::verify_password(std::string phc, std::string password) {
    co_return co_await matches_password(phc, std::move(password));
}

awaitable<bool> DatabaseAuthenticator::matches_password(
    const std::string& phc, std::string password
) {
    if (verified_.holds(phc, password)) {
        co_return true;
    }
    const bool verified = co_await hasher_.verify(phc, password);
    if (verified) {
        verified_.remember(phc, password);
    }
    co_return verified;
}

awaitable<LoginResult> DatabaseAuthenticator::login(const LoginAttempt& attempt) {
    switch (attempt.method) {
        case Method::Password:
            co_return co_await password_login(attempt);
        case Method::External:
            co_return co_await certificate_login(attempt);
        case Method::Bearer: {
            auto result = co_await token_login(attempt);
            if (!result.account && !result.temporary) {
                result.bearer_error_json = oauthbearer_error_json("invalid_token", "");
            }
            co_return result;
        }
        case Method::OnePass:
            co_return co_await onepass_login(attempt);
    }
    co_return failure(kLoginFailedText);
}

DatabaseAuthenticator::Attempt DatabaseAuthenticator::describe(const LoginAttempt& attempt) {
    Attempt facts;
    facts.actor = attempt.user.empty() ? "-" : actor_text(attempt.user);
    facts.source = attempt.source.to_string();
    facts.method = method_name(attempt.method);
    facts.service = service_name(attempt.service);
    return facts;
}

awaitable<LoginResult> DatabaseAuthenticator::password_login(const LoginAttempt& attempt) {
    auto facts = describe(attempt);
    const auto name = canonical_login_name(attempt.user);
    if (!name) {
        co_await audit(facts, "login.failure", std::nullopt, "malformed login name");
        co_return failure(kLoginFailedText);
    }
    const auto account = co_await accounts_.find_account(*name);
    if (!account && account.error() != make_error_code(storage::Errc::NotFound)) {
        co_return temporary_failure(account.error());
    }
    // The throttle counts the account, whichever spelling of its name was given, and a name
    // that is no account by itself.
    facts.user_key = account ? "account:" + std::to_string(account->id) : "name:" + *name;
    if (account) {
        // App passwords are long random secrets with nothing to guess: they are judged apart
        // from the brute-force lock, so nobody can lock an official's devices out with wrong
        // passwords (docs/security.md).
        const auto app = co_await find_app_password(*account, attempt.secret);
        if (!app) {
            co_return temporary_failure(app.error());
        }
        if (*app) {
            if (auto refused = co_await refuse_account(facts, attempt, *account); refused) {
                co_return *refused;
            }
            co_return co_await accept(facts, *account, **app);
        }
    }
    const auto admission = co_await throttle_.admit(facts.user_key, facts.source);
    if (!admission) {
        co_return temporary_failure(admission.error());
    }
    if (admission->verdict == AdmissionVerdict::Locked) {
        co_await audit(facts, "login.refused", std::nullopt, "temporarily locked");
        co_return failure(kLoginLockedText);
    }
    if (admission->verdict == AdmissionVerdict::Busy) {
        co_await audit(facts, "login.refused", std::nullopt, "too many logins under way");
        co_return LoginResult{{}, std::string(kTemporaryFailureText), true, {}};
    }
    if (!account) {
        const auto checked = co_await unless_hasher_busy(check_nothing(attempt.secret));
        if (!checked) {
            co_await throttle_.release(*admission);
            co_return temporary_failure(checked.error());
        }
        co_return co_await refuse_credentials(facts, *admission, std::nullopt);
    }
    // Whether this account's password logins need an SMS code, and where it would go.
    storage::SmsRecipient recipient;
    if (config_.sms.enabled()) {
        auto found = co_await sms_.recipient(account->id);
        if (!found) {
            co_await throttle_.release(*admission);
            co_return temporary_failure(found.error());
        }
        recipient = std::move(*found);
    }
    const auto match =
        co_await unless_hasher_busy(check_password(*account, attempt.secret, recipient.person));
    if (!match) {
        co_await throttle_.release(*admission);
        co_return temporary_failure(match.error());
    }
    if (!*match) {
        co_return co_await refuse_credentials(facts, *admission, account->id);
    }
    const auto unlocked =
        co_await throttle_.record_success(facts.user_key, facts.source, *admission);
    if (!unlocked) {
        co_return temporary_failure(unlocked.error());
    }
    if (!*unlocked) {  // concurrent failures locked the name or address meanwhile
        co_await audit(facts, "login.refused", account->id, "temporarily locked");
        co_return failure(kLoginLockedText);
    }
    if (auto refused = co_await refuse_account(facts, attempt, *account); refused) {
        co_return *refused;
    }
    if (recipient.person) {
        auto result = co_await second_factor(facts, *account, **match, recipient.mobile_phone);
        if (result.code_requested) {
            result.code_account = account->id;
        }
        co_return result;
    }
    co_return co_await accept(facts, *account, **match);
}

awaitable<LoginResult> DatabaseAuthenticator::confirm_code(
    const LoginAttempt& attempt, storage::AccountId account_id
) {
    auto facts = describe(attempt);
    const auto account = co_await accounts_.find_account(account_id);
    if (!account) {
        co_return temporary_failure(account.error());
    }
    facts.actor = actor_text(account->address);
    if (auto refused = co_await refuse_account(facts, attempt, *account); refused) {
        co_return *refused;
    }
    const auto hash = co_await credentials_.password_hash(account->id);
    const auto recipient = co_await sms_.recipient(account->id);
    if (!hash || !recipient) {
        co_return temporary_failure(!hash ? hash.error() : recipient.error());
    }
    if (!*hash || !recipient->person || !config_.sms.enabled()) {
        co_return co_await refuse(facts, kLoginFailedText, account->id);
    }
    const Match match{
        "password + SMS code (pending sign-in)", std::nullopt, **hash, attempt.secret};
    auto result = co_await second_factor(facts, *account, match, recipient->mobile_phone);
    if (result.code_requested) {
        result.code_account = account->id;
    }
    co_return result;
}

awaitable<LoginResult> DatabaseAuthenticator::certificate_login(const LoginAttempt& attempt) {
    auto facts = describe(attempt);
    if (!gpki_) {
        co_return co_await refuse(facts, kCertificateLoginOffText, std::nullopt);
    }
    const auto verdict = co_await gpki_->verify_async(attempt.tls);
    if (!verdict.subject.empty()) {
        facts.actor = actor_text(verdict.subject);
    }
    if (!verdict.identity) {
        co_return co_await refuse(facts, verdict.refusal, std::nullopt);
    }
    const auto& id = *verdict.identity;
    const auto binding = co_await signup_.find_binding(id);
    if (!binding && binding.error() == make_error_code(storage::Errc::NotFound)) {
        co_return co_await request_signup(facts, attempt, id);
    }
    Result<storage::Account> account = binding.error();
    if (binding) {
        account = co_await accounts_.find_account(binding->account);
    }
    if (binding && !verdict.revocation_unknown.empty()) {  // [gpki] revocation_unknown = soft
        const std::optional<storage::AccountId> owner = binding->account;
        co_await audit(facts, "login.revocation_unknown", owner, verdict.revocation_unknown);
    }
    const auto detail =
        "certificate " + id.subject + " (issuer " + id.issuer + ", serial " + id.serial + ")";
    co_return co_await verified_login(facts, attempt, account, kCertificateUnboundText, detail);
}

awaitable<LoginResult> DatabaseAuthenticator::request_signup(
    const Attempt& facts, const LoginAttempt& attempt, const CertificateIdentity& identity
) {
    const auto outcome = co_await signup_.request(
        SSL_get0_peer_certificate(attempt.tls), identity, attempt.source, !attempt.signup_by_page,
        [&](const std::string& detail) {
            return audit_entry(facts, "signup.request", std::nullopt, detail);
        }
    );
    if (!outcome) {
        co_return temporary_failure(outcome.error());
    }
    co_await audit(facts, "login.failure", std::nullopt, outcome->detail);
    auto out = failure(outcome->text);
    out.applicant = outcome->applicant;
    co_return out;
}

awaitable<LoginResult> DatabaseAuthenticator::token_login(const LoginAttempt& attempt) {
    auto facts = describe(attempt);
    const auto verdict = tokens_.verify(attempt.secret, std::time(nullptr));
    if (!verdict.subject) {
        co_return co_await refuse(facts, verdict.refusal, std::nullopt);
    }
    facts.actor = actor_text(*verdict.subject);
    const auto account = co_await accounts_.find_account(*verdict.subject);
    co_return co_await verified_login(
        facts, attempt, account, kTokenUnknownAccountText, "access token"
    );
}

awaitable<LoginResult> DatabaseAuthenticator::onepass_login(const LoginAttempt& attempt) {
    auto facts = describe(attempt);
    facts.actor = "employee " + facts.actor;
    const auto person = co_await directory_.find(attempt.user);
    if (!person) {
        if (person.error() != make_error_code(storage::Errc::NotFound)) {
            co_return temporary_failure(person.error());
        }
        co_return co_await refuse(facts, kLoginFailedText, std::nullopt);
    }
    if (person->retired || !person->account) {
        const auto detail = person->retired ? "person retired" : "person has no account";
        co_await audit(facts, "login.refused", std::nullopt, detail);
        co_return failure(kAccountInactiveText);
    }
    facts.actor = *person->account;
    const auto account = co_await accounts_.find_account(*person->account);
    co_return co_await verified_login(
        facts, attempt, account, kLoginFailedText, "onepass, employee " + person->employee_no
    );
}

awaitable<LoginResult> DatabaseAuthenticator::verified_login(
    const Attempt& facts,
    const LoginAttempt& attempt,
    const Result<storage::Account>& account,
    std::string_view unknown_text,
    const std::string& detail
) {
    if (!account) {
        if (account.error() != make_error_code(storage::Errc::NotFound)) {
            co_return temporary_failure(account.error());
        }
        co_return co_await refuse(facts, unknown_text, std::nullopt);
    }
    if (auto refused = co_await refuse_account(facts, attempt, *account); refused) {
        co_return *refused;
    }
    if (auto written = co_await audit(facts, "login.success", account->id, detail); !written) {
        co_return temporary_failure(written.error());
    }
    co_return LoginResult{*account, {}, false, {}};
}

awaitable<std::optional<LoginResult>> DatabaseAuthenticator::refuse_account(
    const Attempt& facts, const LoginAttempt& attempt, const storage::Account& account
) {
    if (!storage::may_log_in(account.state)) {
        const auto detail = "account " + std::string(storage::account_state_name(account.state));
        co_await audit(facts, "login.refused", account.id, detail);
        co_return failure(kAccountInactiveText);
    }
    if (!attempt.authzid.empty() && !same_address(attempt.authzid, account.address)) {
        co_await audit(facts, "login.failure", account.id, "authorization identity refused");
        co_return failure(kAuthzidRefusedText);
    }
    co_return std::nullopt;
}

awaitable<LoginResult> DatabaseAuthenticator::refuse(
    const Attempt& facts, std::string_view text, std::optional<storage::AccountId> account
) {
    co_await audit(facts, "login.failure", account, text);
    co_return failure(text);
}

awaitable<Result<std::optional<DatabaseAuthenticator::Match>>>
DatabaseAuthenticator::find_app_password(
    const storage::Account& account, const std::string& secret
) {
    const auto app =
        co_await credentials_.find_app_password(account.id, app_password_digest(secret));
    if (app) {
        co_return Match{
            "app password " + std::to_string(app->id) + " (" + app->device + ")", app->id, {}, {}};
    }
    if (app.error() != make_error_code(storage::Errc::NotFound)) {
        co_return app.error();
    }
    co_return std::nullopt;
}

awaitable<Result<std::optional<DatabaseAuthenticator::Match>>>
DatabaseAuthenticator::check_password(
    const storage::Account& account, const std::string& secret, bool allow_code
) {
    const auto hash = co_await credentials_.password_hash(account.id);
    if (!hash) {
        co_return hash.error();
    }
    if (!*hash) {
        co_await check_nothing(secret);
        co_return std::nullopt;
    }
    // The password followed by a code first: a trusted client's reconnect costs one check.
    // An account has one password, so at most one of the two can match.
    const auto coded = config_.sms.enabled() ? split_code_suffix(secret) : std::nullopt;
    if (coded) {
        const std::string password(coded->password);
        if (!allow_code) {
            co_await hasher_.verify_nothing(password);
        } else {
            const bool verified = co_await matches_password(**hash, password);
            if (verified) {
                co_return Match{"password", std::nullopt, **hash, std::string(coded->code)};
            }
        }
    }
    const bool verified = co_await matches_password(**hash, secret);
    if (!verified) {
        co_return std::nullopt;
    }
    co_return Match{"password", std::nullopt, **hash, std::nullopt};
}

awaitable<void> DatabaseAuthenticator::check_nothing(const std::string& secret) {
    const auto coded = config_.sms.enabled() ? split_code_suffix(secret) : std::nullopt;
    if (coded) {
        const std::string password(coded->password);
        co_await hasher_.verify_nothing(password);
    }
    co_await hasher_.verify_nothing(secret);
}

awaitable<LoginResult> DatabaseAuthenticator::refuse_credentials(
    const Attempt& facts, const Admission& admission, std::optional<storage::AccountId> account
) {
    const auto failed = co_await throttle_.record_failure(facts.user_key, facts.source, admission);
    std::uint32_t failures = 1;
    if (!failed) {
        spdlog::warn("auth: failed login not counted: {}", failed.error().message());
    } else {
        failures = failed->failures;
        if (failed->locked_now) {
            co_await audit(facts, "login.lock", account, "locked after failed logins");
        }
    }
    co_await audit(facts, "login.failure", account, "invalid credentials");
    asio::steady_timer delay(co_await asio::this_coro::executor, failure_delay(config_, failures));
    co_await delay.async_wait(asio::use_awaitable);
    co_return failure(kLoginFailedText);
}

awaitable<LoginResult> DatabaseAuthenticator::second_factor(
    const Attempt& facts,
    const storage::Account& account,
    const Match& match,
    const std::optional<std::string>& mobile_phone
) {
    const auto number = mobile_phone ? sms_number(*mobile_phone) : std::nullopt;
    if (!number) {
        co_await audit(facts, "login.failure", account.id, "no mobile number for the SMS code");
        co_return failure(kNoMobileText);
    }
    if (!match.code) {
        co_return co_await send_code(facts, account, *number, false);
    }
    const auto& code = *match.code;
    const auto credential = sms_trust_digest(account.id, match.password_phc, code);
    const auto trust = co_await sms_.use_trust(account.id, credential, *number, facts.source);
    if (!trust) {
        co_return temporary_failure(trust.error());
    }
    if (*trust == storage::TrustState::Active) {
        const Match trusted{"password + SMS code (trusted client)", std::nullopt, {}, {}};
        co_return co_await accept(facts, account, trusted);
    }
    if (*trust == storage::TrustState::Ended) {  // as if the password came alone
        co_return co_await send_code(facts, account, *number, false);
    }
    // Named: g++ 12 destroys temporaries of a co_await expression twice.
    const std::function<bool(const storage::PendingCode&)> matches =
        [&code](const storage::PendingCode& pending) {
            return same_digest(hex(sms_code_digest(pending.salt, code)), pending.digest_hex);
        };
    const storage::NewTrust trust_to_record{
        credential, *number, facts.source, config_.sms.trust_window};
    const storage::CodeUse use{storage::CodePurpose::Login, *number};
    const auto redeemed = co_await sms_.redeem_code(
        account.id, use, config_.sms.max_attempts, matches, trust_to_record
    );
    if (!redeemed) {
        co_return temporary_failure(redeemed.error());
    }
    const auto wrong = "wrong SMS code, attempt " + std::to_string(redeemed->attempts) + " of " +
                       std::to_string(config_.sms.max_attempts);
    const Match redeemed_match{"password + SMS code", std::nullopt, {}, {}};
    switch (redeemed->outcome) {
        case storage::CodeRedemption::Redeemed:
            co_return co_await accept(facts, account, redeemed_match);
        case storage::CodeRedemption::Wrong:
            co_await audit(facts, "login.code_wrong", account.id, wrong);
            co_return code_request(code_wrong_text(number_ending(*number)));
        case storage::CodeRedemption::Voided: {
            const auto voided = wrong + ": code void";
            co_await audit(facts, "login.code_void", account.id, voided);
            co_return failure(kCodeVoidText);
        }
        case storage::CodeRedemption::Expired:
            co_await audit(facts, "login.code_expired", account.id, "SMS code expired");
            co_return co_await send_code(facts, account, *number, true);
        case storage::CodeRedemption::NoCode:
            break;
    }
    co_return co_await send_code(facts, account, *number, false);
}

awaitable<LoginResult> DatabaseAuthenticator::send_code(
    const Attempt& facts, const storage::Account& account, const std::string& number, bool expired
) {
    const auto ending = std::string(number_ending(number));
    const auto sent_text = expired ? code_expired_text(ending) : code_sent_text(ending);
    if (!sms_gateway_) {
        co_await audit(facts, "login.code_unsent", account.id, "no SMS gateway");
        co_return LoginResult{{}, std::string(kSmsUnavailableText), true, {}};
    }
    const auto code = generate_sms_code();
    const auto salt = generate_code_salt();
    const auto digest = sms_code_digest(salt, code);
    const storage::CodeUse use{storage::CodePurpose::Login, number};
    const auto issued = co_await sms_.issue_code(
        account.id, use, salt, digest, config_.sms.code_lifetime, config_.sms.max_attempts,
        config_.sms.max_per_hour
    );
    if (!issued) {
        co_return temporary_failure(issued.error());
    }
    if (*issued == storage::CodeIssue::Pending) {
        co_await audit(facts, "login.code_pending", account.id, "SMS code pending, none sent");
        co_return code_request(code_sent_text(ending));
    }
    if (*issued == storage::CodeIssue::RateLimited) {
        co_await audit(facts, "login.code_limit", account.id, "SMS codes of this hour spent");
        co_return failure(kCodeLimitText);
    }
    SmsMessage message{number, sms_text(code, config_.sms.code_lifetime)};
    const bool sent = co_await sms_gateway_->send(std::move(message));
    if (!sent) {
        if (auto withdrawn = co_await sms_.withdraw_code(account.id, digest); !withdrawn) {
            spdlog::warn("auth: unsent SMS code not withdrawn: {}", withdrawn.error().message());
        }
        co_await audit(facts, "login.code_unsent", account.id, "SMS gateway failed");
        co_return LoginResult{{}, std::string(kSmsUnavailableText), true, {}};
    }
    const auto detail = "SMS code sent to the number ending in " + ending;
    co_await audit(facts, "login.code_sent", account.id, detail);
    co_return code_request(sent_text);
}

awaitable<LoginResult> DatabaseAuthenticator::accept(
    const Attempt& facts, const storage::Account& account, const Match& match
) {
    if (match.app_password_id) {
        auto used = co_await credentials_.record_app_password_use(
            account.id, *match.app_password_id, facts.source
        );
        if (!used) {
            spdlog::warn("auth: app password use not recorded: {}", used.error().message());
        }
    }
    // A login nobody can see in the audit log does not happen.
    if (auto written = co_await audit(facts, "login.success", account.id, match.detail); !written) {
        co_return temporary_failure(written.error());
    }
    co_return LoginResult{account, {}, false, {}};
}

storage::AuditEntry DatabaseAuthenticator::audit_entry(
    const Attempt& facts,
    std::string_view action,
    std::optional<storage::AccountId> account,
    std::string_view detail
) {
    return storage::AuditEntry{
        facts.actor,
        std::string(action),
        account,
        facts.source,
        std::string(facts.method),
        std::string(detail) + " (" + std::string(facts.service) + ")"};
}

awaitable<Result<void>> DatabaseAuthenticator::audit(
    const Attempt& facts,
    std::string_view action,
    std::optional<storage::AccountId> account,
    std::string_view detail
) {
    if (is_failed_login(action)) {
        log_failed_login(facts.source, facts.service, facts.method, facts.actor, detail);
    }
    auto written = co_await audit_.append(audit_entry(facts, action, account, detail));
    if (!written) {
        spdlog::error("auth: audit entry {} not written: {}", action, written.error().message());
    }
    co_return written;
}

}  // namespace govmail::auth
