// The SMS second factor of DatabaseAuthenticator against the real database: codes sent to
// the directory's number, password+code, trusted credentials, attempts, expiry, and what ends
// a trust (new number, suspension, new password, the window). The gateway is the one thing
// faked: it records what would have gone out by SMS.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <regex>
#include <thread>

#include "auth/database_authenticator.hpp"
#include "auth/secrets.hpp"
#include "auth/sms_code.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/audit_store.hpp"
#include "storage/credential_store.hpp"
#include "storage/directory_store.hpp"
#include "storage/sms_store.hpp"
#include "tests/storage/storage_fixture.hpp"
#include "tests/support/set_up_audit.hpp"

namespace govmail::test {
namespace {

using auth::LoginAttempt;
using auth::LoginResult;

constexpr std::string_view kPassword = "correct horse battery";

struct Outbox {
    std::vector<auth::SmsMessage> sent;
    bool failing = false;
};

class RecordingGateway final : public auth::SmsGateway {
public:
    explicit RecordingGateway(Outbox* outbox) : outbox_(outbox) {}
    boost::asio::awaitable<bool> send(auth::SmsMessage message) override {
        if (outbox_->failing) {
            co_return false;
        }
        outbox_->sent.push_back(std::move(message));
        co_return true;
    }

private:
    Outbox* outbox_;
};

// Runs TEXT; its first value ("" when none), or nothing when it failed.
boost::asio::awaitable<std::optional<std::string>> query(storage::Pool* pool, std::string text) {
    auto conn = co_await pool->acquire();
    if (!conn) {
        co_return std::nullopt;
    }
    auto r = co_await (*conn)->execute_script(text);
    if (!r) {
        co_return std::nullopt;
    }
    co_return r->empty() ? std::string() : std::string(r->text(0, 0));
}

AuthConfig sms_config() {
    AuthConfig config;
    config.argon2_time_cost = 1;
    config.argon2_memory_kib = 1024;
    config.failure_delay = std::chrono::milliseconds(1);
    config.max_failure_delay = std::chrono::milliseconds(4);
    config.account_lock_failures = 5;
    config.address_lock_failures = 1000;
    config.sms.gateway = SmsGatewayKind::Http;  // any but Off; the gateway itself is injected
    config.sms.max_attempts = 3;
    config.sms.max_per_hour = 10;
    return config;
}

boost::asio::ip::address fresh_source() {
    static std::atomic<unsigned> counter{0};
    const auto n = (static_cast<unsigned>(::getpid()) << 8) + counter++;
    return boost::asio::ip::make_address_v4((172u << 24) | (n & 0xFFFFFFu));
}

class SmsLoginTest : public StorageTest {
protected:
    explicit SmsLoginTest(AuthConfig config = sms_config())
        : config_(config),
          authenticator(pool, config_, std::make_unique<RecordingGateway>(&outbox)),
          credentials(pool),
          audit(pool) {}

    void sql(const std::string& text) { ASSERT_TRUE(run(query(&pool, text))) << text; }

    // A person's account with KPASSWORD whose directory entry has MOBILE (none when empty).
    storage::Account person(const std::string& mobile = "010-1234-5678") {
        auto account = new_account();
        const auto employee_no = "sms-" + account.address.substr(0, account.address.find('@'));
        sql("INSERT INTO directory_people (employee_no, name, mobile_phone) VALUES ('" +
            employee_no + "', 'Hong Gildong', " + (mobile.empty() ? "NULL" : "'" + mobile + "'") +
            ")");
        ok(storage::DirectoryStore(pool).link(account.id, employee_no));
        set_password(account, kPassword);
        employee_of[account.id] = employee_no;
        return account;
    }

    void set_password(const storage::Account& account, std::string_view password) {
        ok(credentials.set_password_hash(
            account.id, auth::hash_password(password, auth::argon2_params(config_)), set_up_entry()
        ));
    }

    void change_mobile(const storage::Account& account, const std::string& mobile) {
        sql("UPDATE directory_people SET mobile_phone = '" + mobile + "' WHERE employee_no = '" +
            employee_of[account.id] + "'");
    }

    LoginResult login(const storage::Account& account, const std::string& secret) {
        LoginAttempt a;
        a.user = account.address;
        a.secret = secret;
        a.source = source;
        a.service = auth::Service::Imap;
        return run(authenticator.login(a));
    }

    // The code in the last SMS.
    std::string last_code() {
        EXPECT_FALSE(outbox.sent.empty());
        if (outbox.sent.empty()) {
            return {};
        }
        std::smatch m;
        const auto& text = outbox.sent.back().text;
        EXPECT_TRUE(std::regex_search(text, m, std::regex("\\b([0-9]{6})\\b"))) << text;
        return m.size() > 1 ? m[1].str() : std::string();
    }

    // Logs in with the password, then with the password and the code it sent.
    LoginResult log_in_with_code(const storage::Account& account) {
        const auto asked = login(account, std::string(kPassword));
        EXPECT_FALSE(asked.account);
        return login(account, std::string(kPassword) + last_code());
    }

    std::vector<std::string> actions(const storage::Account& account) {
        std::vector<std::string> out;
        for (const auto& r : ok(audit.query(storage::AuditQuery{
                 account.address, std::nullopt, std::nullopt, 1000}))) {
            out.push_back(r.action);
        }
        return out;
    }

    std::string last_detail(const storage::Account& account) {
        return ok(audit.query(storage::AuditQuery{account.address, std::nullopt, std::nullopt, 1000}
                  ))
            .back()
            .detail;
    }

    AuthConfig config_;
    Outbox outbox;
    auth::DatabaseAuthenticator authenticator;
    storage::CredentialStore credentials;
    storage::AuditStore audit;
    std::map<storage::AccountId, std::string> employee_of;
    boost::asio::ip::address source = fresh_source();
};

TEST_F(SmsLoginTest, PasswordAloneSendsOneCodeToTheDirectoryNumber) {
    const auto account = person();
    const auto first = login(account, std::string(kPassword));
    EXPECT_FALSE(first.account);
    EXPECT_FALSE(first.temporary);
    EXPECT_EQ(first.failure_text, auth::code_sent_text("5678"));
    ASSERT_EQ(outbox.sent.size(), 1u);
    EXPECT_EQ(outbox.sent[0].to, "01012345678");
    EXPECT_EQ(last_code().size(), 6u);

    // A client retrying on its own gets the same answer and no second SMS.
    const auto again = login(account, std::string(kPassword));
    EXPECT_EQ(again.failure_text, auth::code_sent_text("5678"));
    EXPECT_EQ(outbox.sent.size(), 1u);
    EXPECT_EQ(
        actions(account), (std::vector<std::string>{"login.code_sent", "login.code_pending"})
    );
    // The code is stored only as a digest.
    const auto code = last_code();
    const auto stored = run(query(
        &pool, "SELECT salt || encode(code_sha256, 'hex') FROM sms_codes WHERE account_id = " +
                   std::to_string(account.id)
    ));
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->size(), 32u + 64u);
    EXPECT_EQ(stored->find(code), std::string::npos);
}

TEST_F(SmsLoginTest, PasswordAndCodeLogInAndTheSameCredentialIsTrustedAfter) {
    const auto account = person();
    const auto result = log_in_with_code(account);
    ASSERT_TRUE(result.account) << result.failure_text;
    EXPECT_EQ(result.account->id, account.id);
    EXPECT_EQ(last_detail(account), "password + SMS code (imap)");

    const auto credential = std::string(kPassword) + last_code();
    source = fresh_source();  // another connection, even from elsewhere
    const auto again = login(account, credential);
    ASSERT_TRUE(again.account) << again.failure_text;
    EXPECT_EQ(last_detail(account), "password + SMS code (trusted client) (imap)");
    EXPECT_EQ(outbox.sent.size(), 1u);

    // A wrong password with the trusted code is a wrong password.
    EXPECT_EQ(login(account, "wrong" + last_code()).failure_text, auth::kLoginFailedText);
    // The password alone still asks for a code.
    EXPECT_EQ(login(account, std::string(kPassword)).failure_text, auth::code_sent_text("5678"));
}

TEST_F(SmsLoginTest, ACodeWorksOnceAndANewPasswordEndsTheTrust) {
    const auto account = person();
    ASSERT_TRUE(log_in_with_code(account).account);
    const auto code = last_code();
    // The same code with another password string is a new credential: the code is used up.
    set_password(account, "a new password");
    const auto reused = login(account, "a new password" + code);
    EXPECT_FALSE(reused.account);
    EXPECT_EQ(reused.failure_text, auth::code_sent_text("5678"));  // a new code was sent
    EXPECT_EQ(outbox.sent.size(), 2u);
    // The old password with its once trusted code no longer works either.
    EXPECT_EQ(login(account, std::string(kPassword) + code).failure_text, auth::kLoginFailedText);
    EXPECT_TRUE(login(account, "a new password" + last_code()).account);
}

TEST_F(SmsLoginTest, WrongCodesCountAndTheLastAttemptVoidsTheCode) {
    const auto account = person();
    login(account, std::string(kPassword));
    const auto code = last_code();
    const auto wrong = code == "000000" ? std::string("000001") : std::string("000000");
    for (int i = 0; i < 2; ++i) {
        const auto result = login(account, std::string(kPassword) + wrong);
        EXPECT_FALSE(result.account);
        EXPECT_EQ(result.failure_text, auth::code_wrong_text("5678"));
    }
    EXPECT_EQ(login(account, std::string(kPassword) + wrong).failure_text, auth::kCodeVoidText);
    // Void: the right code no longer works; the attempt sends a new code.
    const auto late = login(account, std::string(kPassword) + code);
    EXPECT_FALSE(late.account);
    EXPECT_EQ(late.failure_text, auth::code_sent_text("5678"));
    ASSERT_EQ(outbox.sent.size(), 2u);
    EXPECT_TRUE(login(account, std::string(kPassword) + last_code()).account);
    const auto audited = actions(account);
    EXPECT_EQ(std::count(audited.begin(), audited.end(), "login.code_wrong"), 2);
    EXPECT_EQ(std::count(audited.begin(), audited.end(), "login.code_void"), 1);
    // Wrong codes are not wrong passwords: nothing was locked.
    EXPECT_EQ(std::count(audited.begin(), audited.end(), "login.lock"), 0);
}

// A code sent to confirm a new, unconfirmed number in the portal is no second factor for a
// login, and no trust is recorded with it: codes are bound to their purpose and number.
TEST_F(SmsLoginTest, ACodeSentToConfirmANewNumberDoesNotLogIn) {
    const auto account = person();
    storage::SmsStore sms(pool);
    const std::string code = "246810";
    const auto salt = auth::generate_code_salt();
    const storage::CodeUse new_number{storage::CodePurpose::NewNumber, "01099998888"};
    ASSERT_EQ(
        ok(sms.issue_code(
            account.id, new_number, salt, auth::sms_code_digest(salt, code),
            config_.sms.code_lifetime, config_.sms.max_attempts, config_.sms.max_per_hour
        )),
        storage::CodeIssue::Issued
    );
    const auto result = login(account, std::string(kPassword) + code);
    EXPECT_FALSE(result.account);
    EXPECT_EQ(
        result.failure_text, auth::code_sent_text("5678")
    );  // a login code, to the old number
    ASSERT_EQ(outbox.sent.size(), 1u);
    EXPECT_EQ(outbox.sent[0].to, "01012345678");
    const auto trusts = run(query(
        &pool, "SELECT count(*) FROM sms_trusts WHERE account_id = " + std::to_string(account.id)
    ));
    ASSERT_TRUE(trusts);
    EXPECT_EQ(*trusts, "0");
    // And the login code is no confirmation of the new number.
    const std::function<bool(const storage::PendingCode&)> any = [](const storage::PendingCode&) {
        return true;
    };
    const auto confirmed =
        ok(sms.redeem_code(account.id, new_number, config_.sms.max_attempts, any, std::nullopt));
    EXPECT_EQ(confirmed.outcome, storage::CodeRedemption::NoCode);
}

TEST_F(SmsLoginTest, ANewMobileNumberEndsTheTrustAndTheCodeGoesToTheNewNumber) {
    const auto account = person();
    ASSERT_TRUE(log_in_with_code(account).account);
    const auto credential = std::string(kPassword) + last_code();
    ASSERT_TRUE(login(account, credential).account);
    change_mobile(account, "010-9999-0000");
    const auto asked = login(account, credential);
    EXPECT_FALSE(asked.account);
    EXPECT_EQ(asked.failure_text, auth::code_sent_text("0000"));
    ASSERT_EQ(outbox.sent.size(), 2u);
    EXPECT_EQ(outbox.sent.back().to, "01099990000");
    EXPECT_TRUE(login(account, std::string(kPassword) + last_code()).account);
}

TEST_F(SmsLoginTest, ANewNumberWithdrawsThePendingCode) {
    const auto account = person();
    login(account, std::string(kPassword));
    const auto code = last_code();
    change_mobile(account, "010-9999-0000");
    const auto result = login(account, std::string(kPassword) + code);
    EXPECT_FALSE(result.account);
    EXPECT_EQ(result.failure_text, auth::code_sent_text("0000"));
}

TEST_F(SmsLoginTest, SuspensionEndsEveryTrust) {
    const auto account = person();
    ASSERT_TRUE(log_in_with_code(account).account);
    const auto credential = std::string(kPassword) + last_code();
    storage::AccountAdminStore admin(pool);
    ok(admin.set_state(account.id, storage::AccountState::Suspended, set_up_entry()));
    EXPECT_EQ(login(account, credential).failure_text, auth::kAccountInactiveText);
    ok(admin.set_state(account.id, storage::AccountState::Active, set_up_entry()));
    const auto asked = login(account, credential);
    EXPECT_FALSE(asked.account);
    EXPECT_EQ(asked.failure_text, auth::code_sent_text("5678"));
}

// The portal's pending sign-in: the password step names the account the code is for, and
// confirm_code judges the code alone, as the code part of "password123456".
TEST_F(SmsLoginTest, ConfirmCodeJudgesTheCodeOfThePasswordStepWithoutThePassword) {
    const auto account = person();
    const auto asked = login(account, std::string(kPassword));
    ASSERT_TRUE(asked.code_requested);
    ASSERT_EQ(asked.code_account, account.id);
    LoginAttempt attempt;
    attempt.source = source;
    attempt.service = auth::Service::Portal;
    attempt.secret = last_code() == "000000" ? "111111" : "000000";
    const auto wrong = run(authenticator.confirm_code(attempt, account.id));
    EXPECT_FALSE(wrong.account);
    EXPECT_TRUE(wrong.code_requested);
    EXPECT_EQ(wrong.code_account, account.id);
    EXPECT_EQ(wrong.failure_text, auth::code_wrong_text("5678"));
    attempt.secret = last_code();
    const auto right = run(authenticator.confirm_code(attempt, account.id));
    ASSERT_TRUE(right.account);
    EXPECT_EQ(right.account->id, account.id);
    EXPECT_EQ(last_detail(account), "password + SMS code (portal)");
    // The password and this code are now a trusted credential, as for a mail client: the
    // portal asks for a fresh password step (a new pending sign-in) before it comes here.
    ASSERT_TRUE(run(authenticator.confirm_code(attempt, account.id)).account);
    EXPECT_EQ(last_detail(account), "password + SMS code (trusted client) (portal)");

    // Suspended meanwhile: refused like any login.
    const auto again = login(account, std::string(kPassword));
    ASSERT_TRUE(again.code_requested);
    storage::AccountAdminStore admin(pool);
    ok(admin.set_state(account.id, storage::AccountState::Suspended, set_up_entry()));
    attempt.secret = last_code();
    EXPECT_EQ(
        run(authenticator.confirm_code(attempt, account.id)).failure_text,
        auth::kAccountInactiveText
    );
}

TEST_F(SmsLoginTest, ConfirmCodeRefusesAnAccountWithNoCodeToCheck) {
    auto nobody = new_account();  // no directory person, no number: no code was ever sent
    set_password(nobody, kPassword);
    LoginAttempt attempt;
    attempt.source = source;
    attempt.service = auth::Service::Portal;
    attempt.secret = "123456";
    const auto refused = run(authenticator.confirm_code(attempt, nobody.id));
    EXPECT_FALSE(refused.account);
    EXPECT_FALSE(refused.code_requested);
}

TEST_F(SmsLoginTest, NoMobileNumberOnFileIsToldToTheUser) {
    const auto unlisted = person("");
    const auto bad_number = person("ask the secretary");
    const auto unlinked = new_account();
    set_password(unlinked, kPassword);
    for (const auto* account : {&unlisted, &bad_number, &unlinked}) {
        const auto result = login(*account, std::string(kPassword));
        EXPECT_FALSE(result.account);
        EXPECT_EQ(result.failure_text, auth::kNoMobileText);
    }
    EXPECT_TRUE(outbox.sent.empty());
    // Without the password nobody learns that.
    EXPECT_EQ(login(unlisted, "wrong").failure_text, auth::kLoginFailedText);
}

TEST_F(SmsLoginTest, AppPasswordsAndServiceAccountsNeedNoCode) {
    const auto account = person();
    const auto secret = auth::generate_secret();
    ok(credentials.create_app_password(
        account.id, "phone", auth::app_password_digest(secret), set_up_audit<storage::AppPassword>()
    ));
    EXPECT_TRUE(login(account, secret).account);
    const auto service = ok(store.create_account(
        storage::NewAccount{unique_address("svc"), "Service", true},
        set_up_audit<storage::Account>()
    ));
    set_password(service, kPassword);
    EXPECT_TRUE(login(service, std::string(kPassword)).account);
    // A service account's password is the whole secret: no code is split off.
    EXPECT_EQ(
        login(service, std::string(kPassword) + "123456").failure_text, auth::kLoginFailedText
    );
    EXPECT_TRUE(outbox.sent.empty());
}

TEST_F(SmsLoginTest, APasswordEndingInSixDigitsWorksAloneAndWithTheCode) {
    const auto account = person();
    set_password(account, "tiger123456");
    EXPECT_EQ(login(account, "tiger123456").failure_text, auth::code_sent_text("5678"));
    EXPECT_TRUE(login(account, "tiger123456" + last_code()).account);
}

TEST_F(SmsLoginTest, WrongPasswordsWithCodesAreThrottledAndSendNothing) {
    const auto account = person();
    for (std::uint32_t i = 0; i < config_.account_lock_failures; ++i) {
        EXPECT_EQ(
            login(account, "guess" + std::to_string(i) + "123456").failure_text,
            auth::kLoginFailedText
        );
    }
    EXPECT_EQ(login(account, std::string(kPassword)).failure_text, auth::kLoginLockedText);
    EXPECT_TRUE(outbox.sent.empty());
    // Unknown names get the same answer as wrong passwords.
    auto nobody = account;
    nobody.address = unique_address("nobody");
    EXPECT_EQ(
        login(nobody, std::string(kPassword) + "123456").failure_text, auth::kLoginFailedText
    );
}

TEST_F(SmsLoginTest, AGatewayFailureIsTemporaryAndLeavesNoCodePending) {
    const auto account = person();
    outbox.failing = true;
    const auto failed = login(account, std::string(kPassword));
    EXPECT_FALSE(failed.account);
    EXPECT_TRUE(failed.temporary);
    EXPECT_EQ(failed.failure_text, auth::kSmsUnavailableText);
    outbox.failing = false;
    EXPECT_EQ(login(account, std::string(kPassword)).failure_text, auth::code_sent_text("5678"));
    EXPECT_EQ(outbox.sent.size(), 1u);
    EXPECT_EQ(actions(account).front(), "login.code_unsent");
}

class SmsShortTimesTest : public SmsLoginTest {
protected:
    static AuthConfig short_times() {
        auto config = sms_config();
        config.sms.code_lifetime = std::chrono::seconds(1);
        config.sms.trust_window = std::chrono::seconds(2);
        config.sms.max_per_hour = 2;
        return config;
    }
    SmsShortTimesTest() : SmsLoginTest(short_times()) {}
};

TEST_F(SmsShortTimesTest, AnExpiredCodeFailsAndANewOneIsSent) {
    const auto account = person();
    login(account, std::string(kPassword));
    const auto code = last_code();
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    const auto late = login(account, std::string(kPassword) + code);
    EXPECT_FALSE(late.account);
    EXPECT_EQ(late.failure_text, auth::code_expired_text("5678"));
    EXPECT_EQ(outbox.sent.size(), 2u);
    EXPECT_TRUE(login(account, std::string(kPassword) + last_code()).account);
}

TEST_F(SmsShortTimesTest, TheTrustWindowEndsAndCodesPerHourAreBounded) {
    const auto account = person();
    ASSERT_TRUE(log_in_with_code(account).account);
    const auto credential = std::string(kPassword) + last_code();
    EXPECT_TRUE(login(account, credential).account);
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));
    // The window is over: the client is asked again (a new code, the second this hour).
    EXPECT_EQ(login(account, credential).failure_text, auth::code_sent_text("5678"));
    EXPECT_EQ(outbox.sent.size(), 2u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // that code expires
    EXPECT_EQ(login(account, std::string(kPassword)).failure_text, auth::kCodeLimitText);
    EXPECT_EQ(outbox.sent.size(), 2u);
}

}  // namespace
}  // namespace govmail::test
