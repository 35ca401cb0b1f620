#include "auth/token_jwt.hpp"

#include <openssl/ecdsa.h>

#include <algorithm>

#include "auth/openssl_ptr.hpp"
#include "common/base64.hpp"

namespace govmail::auth {
namespace {

constexpr std::size_t kCoordinateBytes = 32;  // P-256
constexpr std::size_t kMaxTokenBytes = 8192;

struct EcdsaSigFree {
    void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    auto text = encode_base64(bytes);
    std::replace(text.begin(), text.end(), '+', '-');
    std::replace(text.begin(), text.end(), '/', '_');
    text.erase(text.find_last_not_of('=') + 1);
    return text;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.find_first_of("+/=") != std::string_view::npos) {
        return std::nullopt;
    }
    std::string standard(text);
    std::replace(standard.begin(), standard.end(), '-', '+');
    std::replace(standard.begin(), standard.end(), '_', '/');
    standard.append((4 - standard.size() % 4) % 4, '=');
    return decode_base64_strict(standard);
}

std::optional<CompactJws> split_compact_jws(std::string_view token) {
    if (token.size() > kMaxTokenBytes) {
        return std::nullopt;
    }
    const auto first = token.find('.');
    const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    auto header = base64url_decode(token.substr(0, first));
    auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
    auto signature = base64url_decode(token.substr(second + 1));
    if (!header || !payload || !signature) {
        return std::nullopt;
    }
    return CompactJws{
        std::move(*header), std::move(*payload), std::string(token.substr(0, second)),
        std::move(*signature)};
}

std::optional<std::string> es256_sign(EVP_PKEY* key, std::string_view signing_input) {
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t der_length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(
            ctx.get(), nullptr, &der_length,
            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()
        ) != 1) {
        return std::nullopt;
    }
    std::string der(der_length, '\0');
    if (EVP_DigestSign(
            ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &der_length,
            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()
        ) != 1) {
        return std::nullopt;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_length)));
    if (!sig) {
        return std::nullopt;
    }
    std::string raw(2 * kCoordinateBytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, kCoordinateBytes) < 0 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + kCoordinateBytes, kCoordinateBytes) < 0) {
        return std::nullopt;
    }
    return raw;
}

bool es256_verify(EVP_PKEY* key, std::string_view signing_input, std::string_view signature) {
    if (signature.size() != 2 * kCoordinateBytes) {
        return false;
    }
    const auto* raw = reinterpret_cast<const unsigned char*>(signature.data());
    EcdsaSigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw, kCoordinateBytes, nullptr);
    BIGNUM* s = BN_bin2bn(raw + kCoordinateBytes, kCoordinateBytes, nullptr);
    if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return false;
    }
    unsigned char* der = nullptr;
    const int der_length = i2d_ECDSA_SIG(sig.get(), &der);
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    const bool ok =
        der_length > 0 && ctx &&
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(
            ctx.get(), der, static_cast<std::size_t>(der_length),
            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()
        ) == 1;
    OPENSSL_free(der);
    ERR_clear_error();
    return ok;
}

}  // namespace govmail::auth
