#include "portal/pages/sms_codes.hpp"

#include <functional>

#include "auth/gpki_certificate.hpp"
#include "auth/secrets.hpp"
#include "auth/sms_code.hpp"
#include "auth/sms_gateway.hpp"
#include "common/hex.hpp"

namespace govmail::portal {

boost::asio::awaitable<CodeSending> send_sms_code(
    Portal& portal, storage::AccountId account, const storage::CodeUse& use
) {
    const auto& sms = portal.config.auth.sms;
    const auto code = auth::generate_sms_code();
    const auto salt = auth::generate_code_salt();
    const auto digest = auth::sms_code_digest(salt, code);
    storage::SmsStore store(portal.pool);
    const auto issued = co_await store.issue_code(
        account, use, salt, digest, sms.code_lifetime, sms.max_attempts, sms.max_per_hour
    );
    if (!issued) {
        co_return CodeSending::Failed;
    }
    if (*issued == storage::CodeIssue::RateLimited) {
        co_return CodeSending::RateLimited;
    }
    if (*issued == storage::CodeIssue::Pending) {
        co_return CodeSending::Pending;
    }
    const auto gateway = auth::make_sms_gateway(sms);
    bool sent = false;
    if (gateway) {
        auth::SmsMessage message{use.number, auth::sms_text(code, sms.code_lifetime)};
        sent = co_await gateway->send(std::move(message));
    }
    if (!sent) {
        (void)co_await store.withdraw_code(account, digest);
        co_return CodeSending::Unsent;
    }
    co_return CodeSending::Sent;
}

boost::asio::awaitable<Result<storage::Redemption>> redeem_sms_code(
    Portal& portal, storage::AccountId account, const storage::CodeUse& use, std::string code
) {
    // Named: g++ 12 destroys temporaries of a co_await expression twice.
    const std::function<bool(const storage::PendingCode&)> matches =
        [&code](const storage::PendingCode& pending) {
            return auth::same_digest(
                hex(auth::sms_code_digest(pending.salt, code)), pending.digest_hex
            );
        };
    const std::optional<storage::NewTrust> no_trust;
    storage::SmsStore store(portal.pool);
    co_return co_await store.redeem_code(
        account, use, portal.config.auth.sms.max_attempts, matches, no_trust
    );
}

}  // namespace govmail::portal
