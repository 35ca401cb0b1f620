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
#include "storage/pg/errc.hpp"
#include "tests/storage/storage_fixture.hpp"
#include "tests/support/set_up_audit.hpp"

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

// A subject of its own for each test: the database is shared.
std::string new_subject() {
    return "CN=089홍길동" + hex(random_bytes(4)) +
           ",OU=Ministry of Testing,O=Government of Korea,C=KR";
}

storage::NewCertBinding new_binding(
    storage::AccountId account,
    const storage::CertificateKey& key,
    const std::string& subject,
    std::int64_t not_before = 1000
) {
    return storage::NewCertBinding{account, key, {}, subject, not_before, not_before + 86400};
}

class CertStoreTest : public StorageTest {
protected:
    storage::CertStore certs{pool};
    const storage::AuditOf<storage::CertBinding> audit = set_up_audit<storage::CertBinding>();
};

TEST_F(CertStoreTest, ACertificateBindsToOneAccountUntilRevoked) {
    const auto alice = new_account();
    const auto bob = new_account();
    const auto key = new_certificate_key();
    const std::vector<std::string> urls{"http://crl.test/gpki/ca.crl"};
    auto binding = new_binding(alice.id, key, new_subject());
    binding.crl_urls = urls;
    const auto bound = ok(certs.bind(binding, audit));
    EXPECT_EQ(bound.account, alice.id);
    EXPECT_EQ(bound.sha256_hex, hex(key.sha256));
    EXPECT_EQ(bound.crl_urls, urls);
    EXPECT_EQ(ok(certs.find(key)).id, bound.id);

    const auto again = run(certs.bind(new_binding(bob.id, key, new_subject()), audit));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), make_error_code(storage::Errc::Exists));

    auto other_serial = key;
    other_serial.serial += "00";
    EXPECT_EQ(run(certs.find(other_serial)).error(), make_error_code(storage::Errc::NotFound));

    const auto urls_now = ok(certs.crl_urls());
    EXPECT_NE(std::find(urls_now.begin(), urls_now.end(), urls[0]), urls_now.end());

    const auto revoked = ok(certs.revoke(alice.id, std::nullopt, audit));
    ASSERT_EQ(revoked.size(), 1u);
    EXPECT_TRUE(revoked[0].revoked_at);
    EXPECT_EQ(run(certs.find(key)).error(), make_error_code(storage::Errc::NotFound));
    EXPECT_TRUE(ok(certs.revoke(alice.id, std::nullopt, audit)).empty());
    // Once revoked, the certificate can be bound again (to someone else).
    EXPECT_EQ(ok(certs.bind(new_binding(bob.id, key, new_subject()), audit)).account, bob.id);
    EXPECT_EQ(ok(certs.list(alice.id)).size(), 1u);
}

TEST_F(CertStoreTest, ARenewedCertificateIsFoundByIssuerSubjectAndLaterValidity) {
    const auto alice = new_account();
    const auto old_key = new_certificate_key();
    const auto subject = new_subject();
    const auto old_binding = ok(certs.bind(new_binding(alice.id, old_key, subject, 1000), audit));
    EXPECT_EQ(old_binding.subject, subject);
    EXPECT_EQ(old_binding.not_after, 1000 + 86400);

    const auto new_key = new_certificate_key();
    EXPECT_EQ(ok(certs.find_renewed(new_key, subject, 2000)).id, old_binding.id);
    const auto not_found = make_error_code(storage::Errc::NotFound);
    EXPECT_EQ(run(certs.find_renewed(new_key, subject, 1000)).error(), not_found);
    auto other_ca = new_key;
    other_ca.issuer = "CN=Other CA";
    EXPECT_EQ(run(certs.find_renewed(other_ca, subject, 2000)).error(), not_found);
    EXPECT_EQ(run(certs.find_renewed(new_key, subject + "x", 2000)).error(), not_found);

    // A pending renewal logs in only once approved, and is no base for another renewal.
    auto renewal = new_binding(alice.id, new_key, subject, 2000);
    renewal.renews = old_binding.id;
    renewal.pending = true;
    const auto pending = ok(certs.bind(renewal, audit));
    EXPECT_EQ(run(certs.find(renewal.key)).error(), not_found);
    EXPECT_EQ(ok(certs.find_renewed(new_certificate_key(), subject, 3000)).id, old_binding.id);
    EXPECT_EQ(run(certs.find_renewed(new_key, subject, 3000)).error(), not_found);  // waits
    const auto approved = ok(certs.approve(pending.id, audit));
    EXPECT_FALSE(approved.pending);
    EXPECT_EQ(approved.renews, old_binding.id);
    EXPECT_EQ(ok(certs.find(renewal.key)).id, pending.id);
    EXPECT_EQ(run(certs.approve(pending.id, audit)).error(), not_found);
    EXPECT_EQ(ok(certs.find(old_key)).id, old_binding.id);  // the old one still logs in

    // A revoked binding is final: its certificate is no renewal of anything.
    ok(certs.revoke(alice.id, pending.id, audit));
    EXPECT_EQ(run(certs.find_renewed(new_key, subject, 2000)).error(), not_found);
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
        attempt.service = auth::Service::Imap;
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
    ok(storage::AccountAdminStore(pool).set_state(
        account.id, storage::AccountState::Suspended, set_up_entry()
    ));
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
