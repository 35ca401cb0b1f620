#pragma once

// The JSON Web Token wire form the token service uses (RFC 7515 compact serialisation,
// RFC 7518 ES256): base64url without padding, and ECDSA P-256 / SHA-256 signatures as the
// 64-byte r || s that JWS prescribes (not OpenSSL's DER). No algorithm choice: ES256 only.
// Pure functions over untrusted input; nothing here throws for bad input.

#include <openssl/evp.h>

#include <optional>
#include <string>
#include <string_view>

namespace govmail::auth {

std::string base64url_encode(std::string_view bytes);
// Strict: the unpadded alphabet only, zero pad bits.
std::optional<std::string> base64url_decode(std::string_view text);

struct CompactJws {
    std::string header;         // decoded JSON text
    std::string payload;        // decoded JSON text
    std::string signing_input;  // "<header b64>.<payload b64>"
    std::string signature;      // decoded bytes
};

// Splits "h.p.s" and decodes its parts; nullopt unless there are exactly three parts that
// decode.
std::optional<CompactJws> split_compact_jws(std::string_view token);

// KEY must be an EC P-256 key. Sign: nullopt on an OpenSSL failure.
std::optional<std::string> es256_sign(EVP_PKEY* key, std::string_view signing_input);
bool es256_verify(EVP_PKEY* key, std::string_view signing_input, std::string_view signature);

}  // namespace govmail::auth
