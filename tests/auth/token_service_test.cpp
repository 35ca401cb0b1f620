// The token service's JWTs: issue and verify, the claim checks (iss, aud, exp, nbf with
// skew), tampering, algorithm confusion ("none", HS256 keyed with the public key) and key
// rotation. Keys are made at test time in a temporary directory.

#include "auth/token_service.hpp"

#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "auth/token_jwt.hpp"
#include "auth/token_keys.hpp"

namespace govmail::auth {
namespace {

using Json = nlohmann::json;
constexpr std::time_t kNow = 1'750'000'000;

class TokenTest : public ::testing::Test {
protected:
    TokenTest() {
        dir_ = std::filesystem::temp_directory_path() /
               ("govmail-token-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        config_.key_dir = dir_;
        config_.clock_skew = std::chrono::seconds(60);
    }
    ~TokenTest() override { std::filesystem::remove_all(dir_); }

    std::string issue(std::chrono::seconds ttl = std::chrono::seconds(600)) {
        return TokenIssuer(config_).issue("hong@example.go.kr", ttl, kNow);
    }

    TokenVerdict verify(std::string_view token, std::time_t now = kNow) {
        return TokenVerifier(config_).verify(token, now);
    }

    // A token with HEADER and CLAIMS signed by the newest key on disk.
    std::string signed_token(const Json& header, const Json& claims) {
        const auto keys = read_signing_keys(dir_);
        const auto input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
        return input + "." + base64url_encode(*es256_sign(keys.back().key.get(), input));
    }

    Json claims_of(const std::string& token) {
        return Json::parse(split_compact_jws(token)->payload);
    }
    Json header_of(const std::string& token) {
        return Json::parse(split_compact_jws(token)->header);
    }

    std::filesystem::path dir_;
    TokenConfig config_;
};

TEST(Base64Url, RoundTripsWithoutPaddingAndRefusesTheStandardAlphabet) {
    for (const std::string data : {"", "f", "fo", "foo", "\xfb\xff\xfe"}) {
        const auto text = base64url_encode(data);
        EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
        EXPECT_EQ(base64url_decode(text), data);
    }
    EXPECT_FALSE(base64url_decode("+/8"));
    EXPECT_FALSE(base64url_decode("Zg=="));
    EXPECT_FALSE(base64url_decode("Zh"));  // non-zero pad bits
}

TEST(CompactJws, NeedsExactlyThreeDecodableParts) {
    for (const std::string_view token : {"", "a", "a.b", "a.b.c.d", "a!.b.c", "..."}) {
        EXPECT_FALSE(split_compact_jws(token)) << token;
    }
    EXPECT_TRUE(split_compact_jws("e30.e30."));
}

TEST_F(TokenTest, AnIssuedTokenVerifiesAndNamesItsSubject) {
    const auto token = issue();
    const auto verdict = verify(token);
    ASSERT_TRUE(verdict.subject) << verdict.refusal;
    EXPECT_EQ(*verdict.subject, "hong@example.go.kr");
    const auto header = header_of(token);
    EXPECT_EQ(header["alg"], "ES256");
    EXPECT_EQ(header["typ"], "at+jwt");
    const auto claims = claims_of(token);
    EXPECT_EQ(claims["iss"], "govmail");
    EXPECT_EQ(claims["aud"], "govmail-mail");
    EXPECT_EQ(claims["exp"], kNow + 600);
    EXPECT_EQ(claims["jti"].get<std::string>().size(), 32u);
}

TEST_F(TokenTest, KeysAreWrittenForTheOwnerOnly) {
    issue();
    const auto keys = read_signing_keys(dir_);
    ASSERT_EQ(keys.size(), 1u);
    const auto perms = std::filesystem::status(dir_ / (keys[0].kid + ".pem")).permissions();
    EXPECT_EQ(
        perms & std::filesystem::perms::all,
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write
    );
}

TEST_F(TokenTest, ExpiryAndNotBeforeAllowTheConfiguredSkewOnly) {
    const auto token = issue(std::chrono::seconds(600));
    EXPECT_TRUE(verify(token, kNow + 600 + 59).subject);
    EXPECT_EQ(verify(token, kNow + 600 + 60).refusal, "Token has expired");
    EXPECT_TRUE(verify(token, kNow - 59).subject);
    EXPECT_EQ(verify(token, kNow - 61).refusal, "Token is not yet valid");
}

TEST_F(TokenTest, IssuerAndAudienceMustBeThisService) {
    const auto token = issue();
    auto other = config_;
    other.audience = "portal";
    EXPECT_EQ(TokenVerifier(other).verify(token, kNow).refusal, "Token audience is not accepted");
    other = config_;
    other.issuer = "https://elsewhere.example";
    EXPECT_EQ(TokenVerifier(other).verify(token, kNow).refusal, "Token issuer is not accepted");
    // An audience list naming this service is fine.
    auto claims = claims_of(token);
    claims["aud"] = Json::array({"portal", "govmail-mail"});
    EXPECT_TRUE(verify(signed_token(header_of(token), claims)).subject);
}

TEST_F(TokenTest, MissingOrMistypedClaimsAreRefused) {
    const auto token = issue();
    for (const char* claim : {"exp", "sub", "iss", "aud"}) {
        auto claims = claims_of(token);
        claims.erase(claim);
        EXPECT_FALSE(verify(signed_token(header_of(token), claims)).subject) << claim;
    }
    auto claims = claims_of(token);
    claims["exp"] = std::to_string(kNow + 600);
    EXPECT_EQ(verify(signed_token(header_of(token), claims)).refusal, "Token is malformed");
}

TEST_F(TokenTest, ATamperedTokenIsRefused) {
    const auto token = issue();
    auto claims = claims_of(token);
    claims["sub"] = "minister@example.go.kr";
    const auto forged = token.substr(0, token.find('.') + 1) + base64url_encode(claims.dump()) +
                        token.substr(token.rfind('.'));
    EXPECT_EQ(verify(forged).refusal, "Token signature is invalid");
    auto flipped = token;
    flipped[flipped.size() - 3] = flipped[flipped.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify(flipped).subject);
}

TEST_F(TokenTest, AlgorithmNoneIsRefused) {
    const auto token = issue();
    auto header = header_of(token);
    header["alg"] = "none";
    const auto unsigned_token =
        base64url_encode(header.dump()) + "." + base64url_encode(claims_of(token).dump()) + ".";
    EXPECT_EQ(verify(unsigned_token).refusal, "Token signing algorithm is not accepted");
}

TEST_F(TokenTest, Hs256KeyedWithThePublicKeyIsRefused) {
    const auto token = issue();
    const auto keys = read_signing_keys(dir_);
    const BioPtr pem(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(pem.get(), keys.back().key.get());
    char* public_pem = nullptr;
    const long length = BIO_get_mem_data(pem.get(), &public_pem);
    auto header = header_of(token);
    header["alg"] = "HS256";
    const auto input =
        base64url_encode(header.dump()) + "." + base64url_encode(claims_of(token).dump());
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    HMAC(
        EVP_sha256(), public_pem, static_cast<int>(length),
        reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_length
    );
    const auto forged =
        input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), mac_length));
    EXPECT_EQ(verify(forged).refusal, "Token signing algorithm is not accepted");
}

TEST_F(TokenTest, CriticalHeadersAndOtherTypesAreRefused) {
    const auto token = issue();
    auto header = header_of(token);
    header["crit"] = Json::array({"exp"});
    EXPECT_FALSE(verify(signed_token(header, claims_of(token))).subject);
    header = header_of(token);
    header["typ"] = "JWT";
    EXPECT_EQ(
        verify(signed_token(header, claims_of(token))).refusal,
        "Token is not an access token of this service"
    );
}

TEST_F(TokenTest, RotationSignsWithTheNewestKeyAndStillVerifiesTheOlder) {
    const auto old_token = issue();
    TokenVerifier verifier(config_);
    EXPECT_TRUE(verifier.verify(old_token, kNow).subject);
    const auto kid = create_signing_key(dir_, kNow + 3600);
    const auto new_token =
        TokenIssuer(config_).issue("hong@example.go.kr", std::chrono::seconds(600), kNow + 3600);
    EXPECT_EQ(header_of(new_token)["kid"], kid);
    EXPECT_NE(header_of(old_token)["kid"], kid);
    // The running verifier learns of the new key without a restart.
    EXPECT_TRUE(verifier.verify(new_token, kNow + 3600).subject);
    EXPECT_TRUE(verifier.verify(old_token, kNow + 500).subject);
    // Removing a key's file retires it.
    std::filesystem::remove(dir_ / (kid + ".pem"));
    EXPECT_EQ(
        TokenVerifier(config_).verify(new_token, kNow + 3600).refusal,
        "Token signing key is unknown"
    );
}

TEST_F(TokenTest, ATokenFromAnotherKeySetIsRefused) {
    const auto token = issue();
    auto other = config_;
    other.key_dir = dir_ / "other";
    create_signing_key(other.key_dir, kNow);
    EXPECT_EQ(TokenVerifier(other).verify(token, kNow).refusal, "Token signing key is unknown");
}

}  // namespace
}  // namespace govmail::auth
