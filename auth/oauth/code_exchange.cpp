#include "auth/oauth/code_exchange.hpp"

#include <openssl/rand.h>

#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "auth/oauth/pkce.hpp"
#include "auth/openssl_ptr.hpp"
#include "auth/token_jwt.hpp"
#include "auth/token_service.hpp"
#include "common/sha256.hpp"
#include "storage/pg/errc.hpp"
#include "storage/single_sign_on_store.hpp"

namespace govmail::auth::oauth {
namespace {

using boost::asio::awaitable;
using Json = nlohmann::json;

TokenReply error_reply(std::string_view error, std::string_view description) {
    return TokenReply{400, Json{{"error", error}, {"error_description", description}}.dump()};
}

// 256 random bits, base64url.
std::string random_code() {
    std::array<unsigned char, 32> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("oauth: no randomness: " + openssl_error());
    }
    return base64url_encode(
        std::string_view(reinterpret_cast<const char*>(random.data()), random.size())
    );
}

}  // namespace

AuthorizationCodes::AuthorizationCodes(OAuthConfig oauth, TokenConfig token, storage::Pool& pool)
    : oauth_(std::move(oauth)), token_(std::move(token)), pool_(pool) {}

awaitable<Result<std::string>> AuthorizationCodes::issue(
    storage::AccountId account, AuthorizationRequest request
) {
    auto code = random_code();
    storage::SingleSignOnStore store(pool_);
    auto stored = co_await store.create_oauth_code(
        sha256(code), account, request.client_id, request.redirect_uri, request.code_challenge,
        oauth_.code_lifetime
    );
    if (!stored) {
        co_return stored.error();
    }
    co_return code;
}

awaitable<Result<TokenReply>> AuthorizationCodes::exchange(TokenRequest request, std::time_t now) {
    if (request.grant_type != "authorization_code") {
        co_return error_reply("unsupported_grant_type", "only authorization_code");
    }
    if (request.code.empty() || request.client_id.empty() || request.code_verifier.empty()) {
        co_return error_reply("invalid_request", "code, client_id and code_verifier are required");
    }
    // Taken (and so spent) before anything else is compared: a wrong guess burns the code.
    storage::SingleSignOnStore store(pool_);
    auto code = co_await store.take_oauth_code(sha256(request.code));
    if (!code) {
        if (code.error() == make_error_code(storage::Errc::NotFound)) {
            co_return error_reply("invalid_grant", "the code is unknown, used or expired");
        }
        co_return code.error();
    }
    if (code->client_id != request.client_id || code->redirect_uri != request.redirect_uri) {
        co_return error_reply("invalid_grant", "the code was issued to another client or URI");
    }
    if (!verifier_matches(request.code_verifier, code->code_challenge)) {
        co_return error_reply("invalid_grant", "the code verifier does not match the challenge");
    }
    const auto token = TokenIssuer(token_).issue(code->address, token_.ttl, now);
    co_return TokenReply{
        200,
        Json{{"access_token", token}, {"token_type", "Bearer"}, {"expires_in", token_.ttl.count()}}
            .dump()};
}

}  // namespace govmail::auth::oauth
