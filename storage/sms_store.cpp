#include "storage/sms_store.hpp"

#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/sms.hpp"

namespace govmail::storage {
namespace {

// The purpose as sms_codes.purpose stores it.
std::string_view purpose_name(CodePurpose purpose) {
    switch (purpose) {
        case CodePurpose::Login:
            return "login";
        case CodePurpose::NewNumber:
            return "new_number";
        case CodePurpose::FirstPassword:
            return "first_password";
    }
    return "login";
}

}  // namespace

SmsStore::Task<SmsRecipient> SmsStore::recipient(AccountId account) {
    co_return co_await run_one_row(
        pool_, sql::kSmsRecipient, Params(account),
        [](const PgResult& r, int row) {
            return SmsRecipient{
                r.boolean(row, 0), r.optional_text(row, 1), r.optional_text(row, 2)};
        }
    );
}

SmsStore::Task<TrustState> SmsStore::use_trust(
    AccountId account, std::string_view digest, std::string_view number, std::string_view source
) {
    auto r = co_await run_statement(
        pool_, sql::kUseSmsTrust, Params(account, Binary{digest}, number, source)
    );
    if (!r) {
        co_return r.error();
    }
    if (r->empty()) {
        co_return TrustState::None;
    }
    co_return r->boolean(0, 0) ? TrustState::Active : TrustState::Ended;
}

SmsStore::Task<CodeIssue> SmsStore::issue_code(
    AccountId account,
    const CodeUse& use,
    std::string_view salt,
    std::string_view digest,
    std::chrono::seconds lifetime,
    std::uint32_t max_attempts,
    std::uint32_t max_per_hour
) {
    auto issued = co_await run_statement(
        pool_, sql::kIssueSmsCode,
        Params(
            account, Binary{digest}, salt, use.number, lifetime.count(), max_attempts, max_per_hour,
            purpose_name(use.purpose)
        )
    );
    if (!issued) {
        co_return issued.error();
    }
    if (!issued->empty()) {
        co_return CodeIssue::Issued;
    }
    auto pending = co_await run_statement(
        pool_, sql::kSmsCodePending,
        Params(account, max_attempts, use.number, purpose_name(use.purpose))
    );
    if (!pending) {
        co_return pending.error();
    }
    const bool usable = !pending->empty() && pending->boolean(0, 0);
    co_return usable ? CodeIssue::Pending : CodeIssue::RateLimited;
}

SmsStore::Task<void> SmsStore::withdraw_code(AccountId account, std::string_view digest) {
    auto r = co_await run_statement(pool_, sql::kWithdrawSmsCode, Params(account, Binary{digest}));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

SmsStore::Task<Redemption> SmsStore::redeem_code(
    AccountId account,
    const CodeUse& use,
    std::uint32_t max_attempts,
    std::function<bool(const PendingCode&)> matches,
    std::optional<NewTrust> trust
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<Redemption> {
        auto locked = co_await conn.execute(
            sql::kLockSmsCode, Params(account, purpose_name(use.purpose), use.number)
        );
        if (!locked) {
            co_return locked.error();
        }
        if (locked->empty()) {
            co_return Redemption{CodeRedemption::NoCode, 0};
        }
        PendingCode code{
            std::string(locked->text(0, 0)), std::string(locked->text(0, 1)),
            static_cast<std::uint32_t>(locked->int64(0, 2)), locked->boolean(0, 3)};
        if (code.attempts >= max_attempts) {
            co_return Redemption{CodeRedemption::NoCode, code.attempts};
        }
        const bool matched = matches(code);
        if (code.expired) {
            co_return Redemption{
                matched ? CodeRedemption::Expired : CodeRedemption::NoCode, code.attempts};
        }
        if (matched) {
            if (auto used = co_await conn.execute(sql::kConsumeSmsCode, Params(account)); !used) {
                co_return used.error();
            }
            if (trust) {
                auto trusted = co_await conn.execute(
                    sql::kTrustSmsCredential,
                    Params(
                        account, Binary{trust->credential_digest}, trust->mobile_phone,
                        trust->source, trust->window.count()
                    )
                );
                if (!trusted) {
                    co_return trusted.error();
                }
            }
            co_return Redemption{CodeRedemption::Redeemed, code.attempts};
        }
        auto wrong = co_await conn.execute(sql::kWrongSmsCode, Params(account));
        if (!wrong) {
            co_return wrong.error();
        }
        const auto attempts = static_cast<std::uint32_t>(wrong->int64(0, 0));
        co_return Redemption{
            attempts >= max_attempts ? CodeRedemption::Voided : CodeRedemption::Wrong, attempts};
    });
}

SmsStore::Task<void> SmsStore::set_mobile_phone(AccountId account, std::string_view number) {
    auto r = co_await run_statement(pool_, sql::kSetMobilePhone, Params(account, number));
    if (!r) {
        co_return r.error();
    }
    if (r->empty()) {
        co_return make_error_code(Errc::NotFound);
    }
    co_return Result<void>{};
}

}  // namespace govmail::storage
