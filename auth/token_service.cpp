#include "auth/token_service.hpp"

#include <openssl/rand.h>

#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "auth/gpki_certificate.hpp"
#include "auth/token_jwt.hpp"
#include "common/hex.hpp"

namespace govmail::auth {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kAlgorithm = "ES256";
constexpr std::string_view kType = "at+jwt";  // RFC 9068 section 2.1
constexpr std::time_t kKeyRereadSeconds = 5;

TokenVerdict refuse(std::string_view text) { return TokenVerdict{std::nullopt, std::string(text)}; }

std::optional<Json> parse_object(const std::string& text) {
    auto json = Json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    return json;
}

std::optional<std::int64_t> time_claim(const Json& claims, const char* name) {
    const auto it = claims.find(name);
    if (it == claims.end() || !it->is_number_integer()) {
        return std::nullopt;
    }
    return it->get<std::int64_t>();
}

bool string_claim_is(const Json& claims, const char* name, std::string_view wanted) {
    const auto it = claims.find(name);
    return it != claims.end() && it->is_string() && it->get<std::string>() == wanted;
}

bool audience_has(const Json& claims, std::string_view wanted) {
    const auto it = claims.find("aud");
    if (it == claims.end()) {
        return false;
    }
    if (it->is_array()) {
        for (const auto& entry : *it) {
            if (entry.is_string() && entry.get<std::string>() == wanted) {
                return true;
            }
        }
        return false;
    }
    return it->is_string() && it->get<std::string>() == wanted;
}

// The refusal for CLAIMS as of NOW, or empty when they are acceptable.
std::string_view claims_refusal(const Json& claims, const TokenConfig& config, std::time_t now) {
    const auto skew = config.clock_skew.count();
    const auto exp = time_claim(claims, "exp");
    const auto nbf = time_claim(claims, "nbf");
    if (!exp || (claims.contains("nbf") && !nbf)) {
        return "Token is malformed";
    }
    if (now - skew >= *exp) {
        return "Token has expired";
    }
    if (nbf && now + skew < *nbf) {
        return "Token is not yet valid";
    }
    if (!string_claim_is(claims, "iss", config.issuer)) {
        return "Token issuer is not accepted";
    }
    if (!audience_has(claims, config.audience)) {
        return "Token audience is not accepted";
    }
    const auto sub = claims.find("sub");
    if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty()) {
        return "Token names no account";
    }
    return {};
}

// 128 random bits naming one token (RFC 9068 jti).
std::string token_id() {
    std::array<unsigned char, 16> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("token: no randomness: " + openssl_error());
    }
    return hex(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
}

}  // namespace

std::string TokenIssuer::issue(
    std::string_view subject, std::chrono::seconds ttl, std::time_t now
) {
    auto keys = read_signing_keys(config_.key_dir);
    if (keys.empty()) {
        create_signing_key(config_.key_dir, now);
        keys = read_signing_keys(config_.key_dir);
    }
    if (keys.empty()) {
        throw std::runtime_error("token: no signing key in " + config_.key_dir.string());
    }
    const auto& key = keys.back();
    const Json header{{"alg", kAlgorithm}, {"typ", kType}, {"kid", key.kid}};
    const Json claims{
        {"iss", config_.issuer},
        {"sub", subject},
        {"aud", config_.audience},
        {"iat", now},
        {"nbf", now},
        {"exp", now + ttl.count()},
        {"jti", token_id()},
    };
    const auto input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
    const auto signature = es256_sign(key.key.get(), input);
    if (!signature) {
        throw std::runtime_error("token: signing failed: " + openssl_error());
    }
    return input + "." + base64url_encode(*signature);
}

TokenVerifier::TokenVerifier(TokenConfig config) : config_(std::move(config)) {}

EVP_PKEY* TokenVerifier::find_key(const std::string& kid, std::time_t now) {
    const auto lookup = [&]() -> EVP_PKEY* {
        for (const auto& key : keys_) {
            if (key.kid == kid) {
                return key.key.get();
            }
        }
        return nullptr;
    };
    if (EVP_PKEY* key = lookup(); key != nullptr || now - keys_read_at_ < kKeyRereadSeconds) {
        return key;
    }
    keys_ = read_signing_keys(config_.key_dir);
    keys_read_at_ = now;
    return lookup();
}

TokenVerdict TokenVerifier::verify(std::string_view token, std::time_t now) {
    const auto jws = split_compact_jws(token);
    if (!jws) {
        return refuse("Token is malformed");
    }
    const auto header = parse_object(jws->header);
    const auto claims = parse_object(jws->payload);
    if (!header || !claims) {
        return refuse("Token is malformed");
    }
    if (!string_claim_is(*header, "alg", kAlgorithm) || header->contains("crit")) {
        return refuse("Token signing algorithm is not accepted");
    }
    const auto kid = header->find("kid");
    if (!string_claim_is(*header, "typ", kType) || kid == header->end() || !kid->is_string()) {
        return refuse("Token is not an access token of this service");
    }
    {
        const std::lock_guard lock(mutex_);
        EVP_PKEY* key = find_key(kid->get<std::string>(), now);
        if (key == nullptr) {
            return refuse("Token signing key is unknown");
        }
        if (!es256_verify(key, jws->signing_input, jws->signature)) {
            return refuse("Token signature is invalid");
        }
    }
    if (const auto refusal = claims_refusal(*claims, config_, now); !refusal.empty()) {
        return refuse(refusal);
    }
    return TokenVerdict{claims->at("sub").get<std::string>(), {}};
}

}  // namespace govmail::auth
