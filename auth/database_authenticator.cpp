#include "auth/database_authenticator.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/sasl_messages.hpp"
#include "auth/secrets.hpp"
#include "common/logging.hpp"
#include "common/utf8.hpp"
#include "storage/account_state.hpp"
#include "storage/errc.hpp"

namespace govmail::auth {
namespace asio = boost::asio;
using asio::awaitable;

constexpr std::size_t kMaxActorBytes = 255;

struct DatabaseAuthenticator::Attempt {
    std::string actor;     // the login name as given, made safe to store
    std::string user_key;  // the login name lower-cased: what the throttle counts
    std::string source;    // numeric source address
    std::string_view method;
    std::string service;
};

struct DatabaseAuthenticator::Match {
    std::string detail;  // "password" or "app password 3 (iPhone)"
    std::optional<std::int64_t> app_password_id;
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

std::string ascii_lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return s;
}

bool same_address(std::string_view a, std::string_view b) {
    return ascii_lower(std::string(a)) == ascii_lower(std::string(b));
}

LoginResult failure(std::string_view text) { return LoginResult{{}, std::string(text), false, {}}; }

LoginResult temporary_failure(boost::system::error_code ec) {
    spdlog::warn("auth: login check failed in storage: {}", ec.message());
    return LoginResult{{}, std::string(kTemporaryFailureText), true, {}};
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
    }
    return "unknown";
}

DatabaseAuthenticator::DatabaseAuthenticator(storage::Pool& pool, const AuthConfig& config)
    : config_(config),
      accounts_(pool),
      credentials_(pool),
      audit_(pool),
      throttle_(pool, config),
      hasher_(argon2_params(config), config.hash_threads) {}

awaitable<std::string> DatabaseAuthenticator::hash_password(std::string password) {
    co_return co_await hasher_.hash(std::move(password));
}

awaitable<LoginResult> DatabaseAuthenticator::login(const LoginAttempt& attempt) {
    if (attempt.method != Method::Password) {
        co_return co_await method_not_available(attempt);
    }
    co_return co_await password_login(attempt);
}

awaitable<LoginResult> DatabaseAuthenticator::password_login(const LoginAttempt& attempt) {
    Attempt facts;
    facts.actor = is_plain_text(attempt.user) ? attempt.user : printable(attempt.user);
    facts.user_key = ascii_lower(facts.actor);
    facts.source = attempt.source.to_string();
    facts.method = method_name(attempt.method);
    facts.service = attempt.service;

    const auto locked = co_await throttle_.locked(facts.user_key, facts.source);
    if (!locked) {
        co_return temporary_failure(locked.error());
    }
    if (*locked) {
        co_await audit(facts, "login.refused", std::nullopt, "temporarily locked");
        co_return failure(kLoginLockedText);
    }
    const auto account = co_await accounts_.find_account(attempt.user);
    if (!account) {
        if (account.error() != make_error_code(storage::Errc::NotFound)) {
            co_return temporary_failure(account.error());
        }
        co_await hasher_.verify_nothing(attempt.secret);
        co_return co_await refuse_credentials(facts, std::nullopt);
    }
    const auto match = co_await check_secret(*account, attempt.secret);
    if (!match) {
        co_return temporary_failure(match.error());
    }
    if (!*match) {
        co_return co_await refuse_credentials(facts, account->id);
    }
    if (account->state != storage::AccountState::Active) {
        const auto detail = "account " + std::string(storage::account_state_name(account->state));
        co_await audit(facts, "login.refused", account->id, detail);
        co_return failure(kAccountInactiveText);
    }
    if (!attempt.authzid.empty() && !same_address(attempt.authzid, account->address)) {
        co_await audit(facts, "login.failure", account->id, "authorization identity refused");
        co_return failure(kAuthzidRefusedText);
    }
    co_return co_await accept(facts, *account, **match);
}

awaitable<Result<std::optional<DatabaseAuthenticator::Match>>> DatabaseAuthenticator::check_secret(
    const storage::Account& account, const std::string& secret
) {
    const auto app = co_await credentials_.find_app_password(account.id, app_password_digest(secret));
    if (app) {
        co_return Match{
            "app password " + std::to_string(app->id) + " (" + app->device + ")", app->id};
    }
    if (app.error() != make_error_code(storage::Errc::NotFound)) {
        co_return app.error();
    }
    const auto hash = co_await credentials_.password_hash(account.id);
    if (!hash) {
        co_return hash.error();
    }
    if (!*hash) {
        co_await hasher_.verify_nothing(secret);
        co_return std::nullopt;
    }
    const bool verified = co_await hasher_.verify(**hash, secret);
    if (!verified) {
        co_return std::nullopt;
    }
    co_return Match{"password", std::nullopt};
}

awaitable<LoginResult> DatabaseAuthenticator::refuse_credentials(
    const Attempt& facts, std::optional<storage::AccountId> account
) {
    const auto outcome = co_await throttle_.record_failure(facts.user_key, facts.source);
    std::uint32_t failures = 1;
    if (outcome) {
        failures = outcome->failures;
        if (outcome->newly_locked) {
            co_await audit(
                facts, "login.lock", account,
                "locked after " + std::to_string(failures) + " failed logins"
            );
        }
    } else {
        spdlog::warn("auth: failed login not counted: {}", outcome.error().message());
    }
    co_await audit(facts, "login.failure", account, "invalid credentials");
    asio::steady_timer delay(
        co_await asio::this_coro::executor, failure_delay(config_, failures)
    );
    co_await delay.async_wait(asio::use_awaitable);
    co_return failure(kLoginFailedText);
}

awaitable<LoginResult> DatabaseAuthenticator::accept(
    const Attempt& facts, const storage::Account& account, const Match& match
) {
    if (auto cleared = co_await throttle_.record_success(facts.user_key); !cleared) {
        spdlog::warn("auth: failed logins not cleared: {}", cleared.error().message());
    }
    if (match.app_password_id) {
        auto used = co_await credentials_.record_app_password_use(
            account.id, *match.app_password_id, facts.source
        );
        if (!used) {
            spdlog::warn("auth: app password use not recorded: {}", used.error().message());
        }
    }
    // A login nobody can see in the audit log does not happen.
    if (auto written = co_await audit(facts, "login.success", account.id, match.detail);
        !written) {
        co_return temporary_failure(written.error());
    }
    co_return LoginResult{account, {}, false, {}};
}

awaitable<LoginResult> DatabaseAuthenticator::method_not_available(const LoginAttempt& attempt) {
    Attempt facts;
    facts.actor = attempt.user.empty() ? "-" : printable(attempt.user);
    facts.source = attempt.source.to_string();
    facts.method = method_name(attempt.method);
    facts.service = attempt.service;
    co_await audit(facts, "login.failure", std::nullopt, "method not yet available");
    auto result = failure(
        attempt.method == Method::External ? "Certificate login is not yet available"
                                           : "Token login is not yet available"
    );
    if (attempt.method == Method::Bearer) {
        result.bearer_error_json = oauthbearer_error_json("invalid_token", "");
    }
    co_return result;
}

awaitable<Result<void>> DatabaseAuthenticator::audit(
    const Attempt& facts,
    std::string_view action,
    std::optional<storage::AccountId> account,
    std::string_view detail
) {
    storage::AuditEntry entry{
        facts.actor,
        std::string(action),
        account,
        facts.source,
        std::string(facts.method),
        std::string(detail) + " (" + facts.service + ")"};
    auto written = co_await audit_.append(entry);
    if (!written) {
        spdlog::error("auth: audit entry {} not written: {}", action, written.error().message());
    }
    co_return written;
}

}  // namespace govmail::auth
