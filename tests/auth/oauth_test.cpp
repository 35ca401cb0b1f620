// PKCE (RFC 7636, S256 only) and the checks of an OAuth 2.0 authorisation request: registered
// client, exact redirect URI (never redirected to on a mismatch), response_type and challenge.

#include <gtest/gtest.h>

#include "auth/oauth/authorization_request.hpp"
#include "auth/oauth/pkce.hpp"

namespace govmail::auth::oauth {
namespace {

// A verifier and its S256 challenge as Python's hashlib and base64 compute them.
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mJ0PMjjPvJ4fJm8yxbB7ZtRkJXY0Kc";
constexpr std::string_view kChallenge = "7-Vrc6Tn86P7QWEvB0C5BbSC-BShZkq39ETcP5u1W7o";

TEST(Pkce, TheS256ChallengeIsTheUnpaddedBase64urlOfTheSha256) {
    EXPECT_EQ(s256_challenge(kVerifier), kChallenge);
    EXPECT_TRUE(verifier_matches(kVerifier, kChallenge));
}

TEST(Pkce, AnythingElseDoesNotMatch) {
    std::string other(kVerifier);
    other.back() = 'd';
    EXPECT_FALSE(verifier_matches(other, kChallenge));
    // "plain": the verifier itself as the challenge.
    EXPECT_FALSE(verifier_matches(kVerifier, kVerifier));
    EXPECT_FALSE(verifier_matches(kVerifier, std::string(kChallenge) + "="));
    EXPECT_FALSE(verifier_matches("", s256_challenge("")));
}

TEST(Pkce, VerifiersAre43To128UnreservedCharacters) {
    EXPECT_TRUE(is_code_verifier(std::string(43, 'a')));
    EXPECT_TRUE(is_code_verifier(std::string(128, '~')));
    EXPECT_TRUE(is_code_verifier("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456-._~"));
    EXPECT_FALSE(is_code_verifier(std::string(42, 'a')));
    EXPECT_FALSE(is_code_verifier(std::string(129, 'a')));
    EXPECT_FALSE(is_code_verifier(std::string(42, 'a') + "+"));
    EXPECT_FALSE(is_code_verifier(std::string(42, 'a') + " "));
    // A short verifier is refused even when its challenge is right.
    const std::string short_verifier(42, 'a');
    EXPECT_FALSE(verifier_matches(short_verifier, s256_challenge(short_verifier)));
}

TEST(Pkce, ChallengesAre43Base64urlCharactersOf32Bytes) {
    EXPECT_TRUE(is_s256_challenge(kChallenge));
    EXPECT_FALSE(is_s256_challenge(kChallenge.substr(1)));
    EXPECT_FALSE(is_s256_challenge(std::string(kChallenge.substr(1)) + "+"));
    EXPECT_FALSE(is_s256_challenge(std::string(kChallenge) + "A"));
}

class AuthorizationTest : public ::testing::Test {
protected:
    AuthorizationTest() {
        config_.clients = {
            {"thunderbird", "http://127.0.0.1/callback"},
            {"thunderbird", "https://app.example.go.kr/cb"},
            {"mobile", "kr.go.example.mail:/oauth"},
        };
        request_ = {
            "code", "thunderbird", "http://127.0.0.1/callback", std::string(kChallenge), "S256",
            "xyz",  "mail"};
    }

    std::optional<AuthorizationError> check() {
        return check_authorization_request(config_, request_);
    }

    OAuthConfig config_;
    AuthorizationRequest request_;
};

TEST_F(AuthorizationTest, ARegisteredClientWithPkceIsGranted) {
    EXPECT_FALSE(check());
    request_.redirect_uri = "https://app.example.go.kr/cb";
    EXPECT_FALSE(check());
}

TEST_F(AuthorizationTest, AnUnknownClientOrRedirectIsShownNotRedirected) {
    request_.client_id = "evil";
    auto error = check();
    ASSERT_TRUE(error);
    EXPECT_FALSE(error->redirect);

    request_.client_id = "thunderbird";
    for (const std::string uri :
         {"http://127.0.0.1/callback/", "http://127.0.0.1/Callback",
          "http://127.0.0.1/callback?x=1", "HTTP://127.0.0.1/callback", "kr.go.example.mail:/oauth",
          ""}) {
        request_.redirect_uri = uri;
        error = check();
        ASSERT_TRUE(error) << uri;
        EXPECT_FALSE(error->redirect) << uri;
        EXPECT_EQ(error->error, "invalid_request");
    }
}

TEST_F(AuthorizationTest, OtherErrorsGoBackToTheClient) {
    request_.response_type = "token";
    auto error = check();
    ASSERT_TRUE(error);
    EXPECT_TRUE(error->redirect);
    EXPECT_EQ(error->error, "unsupported_response_type");

    request_.response_type = "code";
    for (const std::string method : {"plain", "", "s256"}) {
        request_.code_challenge_method = method;
        error = check();
        ASSERT_TRUE(error) << method;
        EXPECT_EQ(error->error, "invalid_request");
        EXPECT_TRUE(error->redirect);
    }
    request_.code_challenge_method = "S256";
    request_.code_challenge = std::string(kVerifier.substr(0, 40));
    EXPECT_TRUE(check());
    request_.code_challenge.clear();
    EXPECT_TRUE(check());
}

TEST(AuthorizationRedirect, CodeAndStateAreAddedPercentEncoded) {
    EXPECT_EQ(
        redirect_with_code("http://127.0.0.1/cb", "a-b_c", "s t&u"),
        "http://127.0.0.1/cb?code=a-b_c&state=s%20t%26u"
    );
    EXPECT_EQ(
        redirect_with_error("https://x.example/cb?k=v", "access_denied", ""),
        "https://x.example/cb?k=v&error=access_denied"
    );
}

TEST(OAuthConfigFile, ClientsArePairsWhoseUrisKeepTheirCase) {
    const auto config = interpret_config(parse_config_text(
        "[oauth]\nclients = thunderbird http://127.0.0.1/CallBack, Mobile kr.go.example:/cb?a=b\n"
        "code_lifetime_s = 30\n[onepass]\nperson_field = MAIL_ID\nidp_certificate = /x.pem\n"
    ));
    ASSERT_EQ(config.auth.oauth.clients.size(), 2u);
    EXPECT_EQ(config.auth.oauth.clients[0].id, "thunderbird");
    EXPECT_EQ(config.auth.oauth.clients[0].redirect_uri, "http://127.0.0.1/CallBack");
    EXPECT_EQ(config.auth.oauth.clients[1].id, "Mobile");
    EXPECT_EQ(config.auth.oauth.clients[1].redirect_uri, "kr.go.example:/cb?a=b");
    EXPECT_EQ(config.auth.oauth.code_lifetime, std::chrono::seconds(30));
    EXPECT_EQ(config.auth.onepass.person_field, "mail_id");
    EXPECT_TRUE(config.auth.onepass.enabled());
    EXPECT_FALSE(interpret_config({}).auth.onepass.enabled());

    EXPECT_THROW(
        interpret_config(parse_config_text("[oauth]\nclients = lonely\n")), std::runtime_error
    );
    EXPECT_THROW(
        interpret_config(parse_config_text("[onepass]\nperson_field = name\n")), std::runtime_error
    );
}

}  // namespace
}  // namespace govmail::auth::oauth
