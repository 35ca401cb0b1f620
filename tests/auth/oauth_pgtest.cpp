// Authorisation codes with PKCE against the database: a code is exchanged once, by its client,
// with its redirect URI and the right verifier, within its lifetime, for an access token that the
// token service verifies for the account; every other exchange is an RFC 6749 error.

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "auth/oauth/code_exchange.hpp"
#include "auth/oauth/pkce.hpp"
#include "auth/token_service.hpp"
#include "storage/account_admin_store.hpp"
#include "tests/storage/storage_fixture.hpp"
#include "tests/support/set_up_audit.hpp"

namespace govmail::test {
namespace {

using auth::oauth::AuthorizationCodes;
using auth::oauth::TokenReply;
using auth::oauth::TokenRequest;
using Json = nlohmann::json;

constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mJ0PMjjPvJ4fJm8yxbB7ZtRkJXY0Kc";
const std::string kClient = "thunderbird";
const std::string kRedirect = "http://127.0.0.1:8765/callback";

class OAuthCodeTest : public StorageTest {
protected:
    OAuthCodeTest() {
        token_.key_dir = std::filesystem::temp_directory_path() /
                         ("govmail-oauth-" + std::to_string(::getpid()));
        oauth_.clients = {{kClient, kRedirect}, {"other", kRedirect}};
        account_ = new_account();
    }
    ~OAuthCodeTest() override { std::filesystem::remove_all(token_.key_dir); }

    std::string issue(std::chrono::seconds lifetime = std::chrono::seconds(60)) {
        oauth_.code_lifetime = lifetime;
        auth::oauth::AuthorizationRequest request{
            "code", kClient, kRedirect, auth::oauth::s256_challenge(kVerifier), "S256", "", ""};
        return ok(AuthorizationCodes(oauth_, token_, pool).issue(account_.id, request));
    }

    TokenReply exchange(const std::string& code, TokenRequest request = {}) {
        if (request.grant_type.empty()) {
            request = {"authorization_code", code, kRedirect, kClient, std::string(kVerifier)};
        }
        return ok(AuthorizationCodes(oauth_, token_, pool).exchange(request, std::time(nullptr)));
    }

    static std::string error_of(const TokenReply& reply) {
        EXPECT_EQ(reply.status, 400u);
        return Json::parse(reply.json).value("error", "");
    }

    OAuthConfig oauth_;
    TokenConfig token_;
    storage::Account account_;
};

TEST_F(OAuthCodeTest, ACodeAndItsVerifierGiveATokenForTheAccountOnce) {
    const auto code = issue();
    EXPECT_GE(code.size(), 43u);
    const auto reply = exchange(code);
    ASSERT_EQ(reply.status, 200u) << reply.json;
    const auto body = Json::parse(reply.json);
    EXPECT_EQ(body["token_type"], "Bearer");
    EXPECT_EQ(body["expires_in"], token_.ttl.count());
    const auto verdict = auth::TokenVerifier(token_).verify(
        body["access_token"].get<std::string>(), std::time(nullptr)
    );
    EXPECT_EQ(verdict.subject, account_.address) << verdict.refusal;

    EXPECT_EQ(error_of(exchange(code)), "invalid_grant");
}

TEST_F(OAuthCodeTest, AWrongVerifierClientOrRedirectSpendsTheCode) {
    std::string wrong_verifier(kVerifier);
    wrong_verifier.front() = 'e';
    const std::vector<TokenRequest> wrong{
        {"authorization_code", "", kRedirect, kClient, wrong_verifier},
        {"authorization_code", "", kRedirect, "other", std::string(kVerifier)},
        {"authorization_code", "", kRedirect + "/", kClient, std::string(kVerifier)},
    };
    for (auto request : wrong) {
        const auto code = issue();
        request.code = code;
        EXPECT_EQ(error_of(exchange(code, request)), "invalid_grant") << request.client_id;
        // Spent: not even the right request can use it now.
        EXPECT_EQ(error_of(exchange(code)), "invalid_grant");
    }
}

TEST_F(OAuthCodeTest, ExpiredAndUnknownCodesAreRefused) {
    const auto code = issue(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(error_of(exchange(code)), "invalid_grant");
    EXPECT_EQ(error_of(exchange("never-issued")), "invalid_grant");
}

TEST_F(OAuthCodeTest, ACodeOfASuspendedAccountIsRefused) {
    const auto code = issue();
    ok(storage::AccountAdminStore(pool).set_state(
        account_.id, storage::AccountState::Suspended, set_up_entry()
    ));
    EXPECT_EQ(error_of(exchange(code)), "invalid_grant");
}

TEST_F(OAuthCodeTest, MalformedTokenRequestsAreRefused) {
    const auto code = issue();
    EXPECT_EQ(
        error_of(exchange(code, {"refresh_token", code, kRedirect, kClient, std::string(kVerifier)})
        ),
        "unsupported_grant_type"
    );
    EXPECT_EQ(
        error_of(exchange(code, {"authorization_code", code, kRedirect, kClient, ""})),
        "invalid_request"
    );
    // Neither refusal spent the code.
    EXPECT_EQ(exchange(code).status, 200u);
}

}  // namespace
}  // namespace govmail::test
