// libFuzzer target for the token service's JWTs (RFC 7515 compact form, ES256) as the daemons
// check bearer tokens: TokenVerifier::verify() over a key directory made for this run.
// Each input is used twice:
// - as a token: it must be refused, since nothing the fuzzer writes is signed by the key made
//   at start-up (not even a mutation of a token that was: the key never signed those bytes);
// - as "<header JSON>\n<claims JSON>" ("$KID" in the header standing for the key's id), signed
//   here with that key: then the signature must hold, and the token is accepted exactly when an
//   independent reading of the header and claims says it should be (ES256, at+jwt, the key's
//   id, no "crit", unexpired, issuer, audience, subject). The JSON parsing and every claim check
//   run on arbitrary JSON this way.
// Also: base64url decoding is strict (what decodes is the canonical encoding of its bytes).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "auth/token_jwt.hpp"
#include "auth/token_keys.hpp"
#include "auth/token_service.hpp"
#include "common/config.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::auth {
namespace {

using fuzz::check;
using Json = nlohmann::json;

constexpr std::time_t kNow = 1'750'000'000;  // a fixed clock: runs replay exactly

struct Setup {
    std::filesystem::path key_dir;
    TokenConfig config;
    std::string kid;
    EvpPkeyPtr key;
    std::unique_ptr<TokenVerifier> verifier;
    std::string good_token;  // issued at start-up, must verify
};

Setup* setup = nullptr;

void remove_key_dir() {
    if (setup != nullptr) {
        std::error_code ignored;
        std::filesystem::remove_all(setup->key_dir, ignored);
    }
}

// What verify() must decide for a correctly signed token with these parts.
bool should_accept(const Json& header, const Json& claims, const Setup& s) {
    const auto is_string = [](const Json& object, const char* name, std::string_view value) {
        return object.contains(name) && object[name].is_string() &&
               object[name].get<std::string>() == value;
    };
    if (!is_string(header, "alg", "ES256") || header.contains("crit") ||
        !is_string(header, "typ", "at+jwt") || !is_string(header, "kid", s.kid)) {
        return false;
    }
    const auto skew = s.config.clock_skew.count();
    if (!claims.contains("exp") || !claims["exp"].is_number_integer() ||
        kNow - skew >= claims["exp"].get<std::int64_t>()) {
        return false;
    }
    if (claims.contains("nbf") &&
        (!claims["nbf"].is_number_integer() || kNow + skew < claims["nbf"].get<std::int64_t>())) {
        return false;
    }
    if (!is_string(claims, "iss", s.config.issuer)) {
        return false;
    }
    bool audience = is_string(claims, "aud", s.config.audience);
    if (claims.contains("aud") && claims["aud"].is_array()) {
        for (const auto& entry : claims["aud"]) {
            audience =
                audience || (entry.is_string() && entry.get<std::string>() == s.config.audience);
        }
    }
    return audience && claims.contains("sub") && claims["sub"].is_string() &&
           !claims["sub"].get<std::string>().empty();
}

void check_base64url(std::string_view text) {
    const auto decoded = base64url_decode(text);
    if (decoded) {
        check(base64url_encode(*decoded) == text, "base64url decoding is strict");
    }
    const auto round = base64url_decode(base64url_encode(text));
    check(round && *round == text, "base64url round-trips");
}

void check_signed(std::string_view input, Setup& s) {
    const auto newline = input.find('\n');
    if (newline == std::string_view::npos) {
        return;
    }
    // "$KID" stands for the id of the key made at start-up, which no seed can know.
    std::string header_text(input.substr(0, newline));
    for (auto at = header_text.find("$KID"); at != std::string::npos;
         at = header_text.find("$KID", at + s.kid.size())) {
        header_text.replace(at, 4, s.kid);
    }
    const std::string_view claims_text = input.substr(newline + 1);
    const std::string signing_input =
        base64url_encode(header_text) + "." + base64url_encode(claims_text);
    const auto signature = es256_sign(s.key.get(), signing_input);
    check(signature.has_value(), "signing works");
    const std::string token = signing_input + "." + base64url_encode(*signature);
    const TokenVerdict verdict = s.verifier->verify(token, kNow);

    const Json header = Json::parse(header_text, nullptr, false);
    const Json claims = Json::parse(claims_text, nullptr, false);
    const bool objects = !header.is_discarded() && header.is_object() && !claims.is_discarded() &&
                         claims.is_object();
    const bool expected = objects && should_accept(header, claims, s);
    check(verdict.subject.has_value() == expected, "verify() decides as the claims say");
    check(verdict.refusal != "Token signature is invalid", "a token we signed verifies");
    if (verdict.subject) {
        check(*verdict.subject == claims["sub"].get<std::string>(), "the subject is the claim");
    }
}

}  // namespace
}  // namespace govmail::auth

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    using namespace govmail::auth;
    std::string pattern =
        (std::filesystem::temp_directory_path() / "govmail-jwt-fuzz-XXXXXX").string();
    const char* dir = ::mkdtemp(pattern.data());
    check(dir != nullptr, "a key directory can be made");
    setup = new Setup{};
    setup->key_dir = dir;
    std::atexit(remove_key_dir);
    setup->config.key_dir = setup->key_dir / "keys";
    setup->kid = create_signing_key(setup->config.key_dir, kNow);
    auto keys = read_signing_keys(setup->config.key_dir);
    check(keys.size() == 1 && keys.front().kid == setup->kid, "the key reads back");
    setup->key = std::move(keys.front().key);
    setup->verifier = std::make_unique<TokenVerifier>(setup->config);
    setup->good_token =
        TokenIssuer(setup->config).issue("fuzz@example.org", std::chrono::hours(1), kNow);
    const auto verdict = setup->verifier->verify(setup->good_token, kNow);
    check(
        verdict.subject == std::optional<std::string>("fuzz@example.org"), "a good token verifies"
    );
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::auth;
    const std::string_view input = govmail::fuzz::as_text(data, size);

    const TokenVerdict verdict = setup->verifier->verify(input, kNow);
    check(
        !verdict.subject || input == setup->good_token,
        "verify() accepts no token the key did not sign"
    );
    check(verdict.subject || !verdict.refusal.empty(), "a refusal says why");
    if (const auto jws = split_compact_jws(input)) {
        check(
            jws->signing_input == input.substr(0, input.rfind('.')),
            "the signing input is the token's first two parts"
        );
    }
    check_base64url(input);
    check_signed(input, *setup);
    return 0;
}
