// Logins when the password hasher's queue is full: refused at once as a temporary failure
// ("try again later"), never counted as a failed password, and the brute-force throttle's
// hold on the check is released so later logins go through.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "auth/database_authenticator.hpp"
#include "storage/credential_store.hpp"
#include "tests/storage/storage_fixture.hpp"
#include "tests/support/set_up_audit.hpp"

namespace govmail::test {
namespace {

constexpr std::string_view kPassword = "correct horse battery";

// One hashing thread and no room to wait: every login that finds it busy is refused. The
// cost (about half a second: libsodium is not slowed by the sanitizers) keeps it busy while
// the others arrive, however slow their database round trips on a loaded machine.
AuthConfig one_hash_at_a_time() {
    AuthConfig config;
    config.argon2_time_cost = 10;
    config.argon2_memory_kib = 128 * 1024;
    config.hash_threads = 1;
    config.hash_queue_length = 0;
    config.credential_cache_ttl = std::chrono::seconds(0);  // every login needs the hasher
    return config;
}

boost::asio::awaitable<void> login_into(
    auth::DatabaseAuthenticator* authenticator,
    auth::LoginAttempt attempt,
    std::vector<auth::LoginResult>* out
) {
    out->push_back(co_await authenticator->login(attempt));
}

class HashQueueTest : public StorageTest {
protected:
    HashQueueTest() : authenticator(pool, config_), credentials(pool) {}

    auth::LoginAttempt attempt(const std::string& user) const {
        auth::LoginAttempt a;
        a.user = user;
        a.secret = kPassword;
        a.source = boost::asio::ip::make_address("192.0.2.7");
        a.service = auth::Service::Imap;
        return a;
    }

    // A login for each of USERS at once; the results in the order they were answered.
    std::vector<auth::LoginResult> at_once(const std::vector<std::string>& users) {
        std::vector<auth::LoginResult> results;
        for (const auto& user : users) {
            boost::asio::co_spawn(
                ioc, login_into(&authenticator, attempt(user), &results), boost::asio::detached
            );
        }
        EXPECT_TRUE(run_until(
            ioc, [&] { return results.size() == users.size(); }, std::chrono::seconds(60)
        ));
        return results;
    }

    AuthConfig config_ = one_hash_at_a_time();
    auth::DatabaseAuthenticator authenticator;
    storage::CredentialStore credentials;
};

TEST_F(HashQueueTest, LoginsBeyondAFullQueueAreTemporaryFailures) {
    const auto account = new_account();
    ok(credentials.set_password_hash(
        account.id, auth::hash_password(kPassword, auth::argon2_params(config_)), set_up_entry()
    ));
    const auto unknown = unique_address("nobody");
    const auto results =
        at_once({account.address, account.address, account.address, unknown, unknown});
    // Which logins reach the one hashing thread first depends on their database round trips;
    // whichever did got their answer (in, or a wrong password for the unknown name).
    int answered = 0;
    int busy = 0;
    for (const auto& result : results) {
        if (result.temporary) {
            EXPECT_EQ(result.failure_text, auth::kTemporaryFailureText);
            ++busy;
        } else {
            EXPECT_TRUE(result.account || result.failure_text == auth::kLoginFailedText)
                << result.failure_text;
            ++answered;
        }
    }
    EXPECT_GE(answered, 1);
    EXPECT_GE(busy, 2);

    // Nothing was counted against the account or held by the throttle: one at a time, all in.
    for (int i = 0; i < 3; ++i) {
        const auto result = run(authenticator.login(attempt(account.address)));
        EXPECT_TRUE(result.account) << result.failure_text;
    }
}

}  // namespace
}  // namespace govmail::test
