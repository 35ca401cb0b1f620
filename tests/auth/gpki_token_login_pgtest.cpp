// Certificate bindings in the database, and token logins through DatabaseAuthenticator:
// the account a token names must exist, be active and be the one the client asks to act
// as; every outcome is audited. (Certificate logins need a TLS session: the integration
// test test_auth_external_token.py drives them with real clients.)

#include <unistd.h>

#include <atomic>
#include <ctime>
#include <filesystem>

#include "auth/database_authenticator.hpp"
#include "auth/token_service.hpp"
#include "common/hex.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/cert_store.hpp"
#include "storage/errc.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

using auth::LoginAttempt;
using auth::Method;

std::string random_bytes(std::size_t n) {
    static std::atomic<unsigned> counter{0};
    std::string out(n, '\0');
    const auto seed = (static_cast<unsigned>(::getpid()) << 12) + counter++;
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<char>((seed >> (8 * (i % 4))) ^ (i * 31));
    }
    return out;
}

storage::CertificateKey new_certificate_key() {
    const auto sha256 = random_bytes(32);
    return {"CN=CA131100001,OU=GPKI,O=Government of Korea,C=KR", hex(sha256.substr(0, 8)), sha256};
}

class CertStoreTest : public StorageTest {
protected:
    storage::CertStore certs{pool};
};

TEST_F(CertStoreTest, ACertificateBindsToOneAccountUntilRevoked) {
    const auto alice = new_account();
    const auto bob = new_account();
    const auto key = new_certificate_key();
    const std::vector<std::string> urls{"http://crl.test/gpki/ca.crl"};
    const auto bound = ok(certs.bind(alice.id, key, urls));
    EXPECT_EQ(bound.account, alice.id);
    EXPECT_EQ(bound.sha256_hex, hex(key.sha256));
    EXPECT_EQ(bound.crl_urls, urls);
    EXPECT_EQ(ok(certs.find(key)).id, bound.id);

    const auto again = run(certs.bind(bob.id, key, {}));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), make_error_code(storage::Errc::Exists));

    auto other_serial = key;
    other_serial.serial += "00";
    EXPECT_EQ(run(certs.find(other_serial)).error(), make_error_code(storage::Errc::NotFound));

    const auto urls_now = ok(certs.crl_urls());
    EXPECT_NE(std::find(urls_now.begin(), urls_now.end(), urls[0]), urls_now.end());

    const auto revoked = ok(certs.revoke(alice.id, std::nullopt));
    ASSERT_EQ(revoked.size(), 1u);
    EXPECT_TRUE(revoked[0].revoked_at);
    EXPECT_EQ(run(certs.find(key)).error(), make_error_code(storage::Errc::NotFound));
    EXPECT_TRUE(ok(certs.revoke(alice.id, std::nullopt)).empty());
    // Once revoked, the certificate can be bound again (to someone else).
    EXPECT_EQ(ok(certs.bind(bob.id, key, {})).account, bob.id);
    EXPECT_EQ(ok(certs.list(alice.id)).size(), 1u);
}

class TokenLoginTest : public StorageTest {
protected:
    static AuthConfig token_config() {
        AuthConfig config;
        config.argon2_memory_kib = 1024;
        config.argon2_time_cost = 1;
        config.token.key_dir = std::filesystem::temp_directory_path() /
                               ("govmail-token-pg-" + std::to_string(::getpid()));
        return config;
    }

    TokenLoginTest() : config_(token_config()), authenticator(pool, config_) {}
    ~TokenLoginTest() override { std::filesystem::remove_all(config_.token.key_dir); }

    std::string token_for(const std::string& address) {
        return auth::TokenIssuer(config_.token)
            .issue(address, std::chrono::seconds(300), std::time(nullptr));
    }

    auth::LoginResult login(std::string token, std::string authzid = {}) {
        LoginAttempt attempt;
        attempt.method = Method::Bearer;
        attempt.secret = std::move(token);
        attempt.authzid = std::move(authzid);
        attempt.source = boost::asio::ip::make_address("192.0.2.7");
        attempt.service = "imap";
        return run(authenticator.login(attempt));
    }

    AuthConfig config_;
    auth::DatabaseAuthenticator authenticator;
};

TEST_F(TokenLoginTest, AGoodTokenLogsItsAccountIn) {
    const auto account = new_account();
    const auto result = login(token_for(account.address));
    ASSERT_TRUE(result.account) << result.failure_text;
    EXPECT_EQ(result.account->id, account.id);
    EXPECT_TRUE(result.bearer_error_json.empty());
    EXPECT_TRUE(login(token_for(account.address), account.address).account);
}

TEST_F(TokenLoginTest, TheAccountMustExistBeActiveAndBeTheOneAskedFor) {
    const auto account = new_account();
    const auto other = new_account();
    auto result = login(token_for(account.address), other.address);
    EXPECT_EQ(result.failure_text, auth::kAuthzidRefusedText);
    EXPECT_EQ(result.bearer_error_json, R"({"status":"invalid_token","scope":""})");

    result = login(token_for("nobody-" + account.address));
    EXPECT_EQ(result.failure_text, auth::kTokenUnknownAccountText);

    const auto token = token_for(account.address);
    ok(storage::AccountAdminStore(pool).set_state(account.id, storage::AccountState::Suspended));
    result = login(token);
    EXPECT_FALSE(result.account);
    EXPECT_EQ(result.failure_text, auth::kAccountInactiveText);
    EXPECT_FALSE(result.bearer_error_json.empty());
}

TEST_F(TokenLoginTest, ABadTokenGetsTheReasonAndTheOauthbearerError) {
    const auto account = new_account();
    auto token = token_for(account.address);
    token.back() = token.back() == 'A' ? 'B' : 'A';
    const auto result = login(token);
    EXPECT_FALSE(result.account);
    EXPECT_FALSE(result.temporary);
    EXPECT_EQ(result.failure_text.rfind("Token ", 0), 0u) << result.failure_text;
    EXPECT_EQ(result.bearer_error_json, R"({"status":"invalid_token","scope":""})");
}

}  // namespace
}  // namespace govmail::test
