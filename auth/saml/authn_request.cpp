#include "auth/saml/authn_request.hpp"

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "auth/gpki_certificate.hpp"
#include "auth/saml/saml_time.hpp"
#include "auth/saml/xml_document.hpp"
#include "common/base64.hpp"
#include "common/hex.hpp"
#include "common/percent_encoding.hpp"

namespace govmail::auth::saml {
namespace {

// "_" and 128 random bits in hex: an xs:ID (an NCName cannot start with a digit).
std::string random_id() {
    std::array<unsigned char, 16> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw std::runtime_error("onepass: no randomness: " + openssl_error());
    }
    return "_" + hex(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
}

EvpPkeyPtr read_rsa_key(const std::filesystem::path& file) {
    std::unique_ptr<FILE, decltype(&std::fclose)> in(std::fopen(file.c_str(), "rb"), &std::fclose);
    if (!in) {
        throw std::runtime_error("onepass: cannot open the SP key " + file.string());
    }
    EvpPkeyPtr key(PEM_read_PrivateKey(in.get(), nullptr, nullptr, nullptr));
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
        throw std::runtime_error("onepass: the SP key " + file.string() + " is not an RSA key");
    }
    return key;
}

std::string rsa_sha256_sign(EVP_PKEY* key, std::string_view data) {
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(
            ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()),
            data.size()
        ) != 1) {
        throw std::runtime_error("onepass: signing failed: " + openssl_error());
    }
    std::string signature(size, '\0');
    if (EVP_DigestSign(
            ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
            reinterpret_cast<const unsigned char*>(data.data()), data.size()
        ) != 1) {
        throw std::runtime_error("onepass: signing failed: " + openssl_error());
    }
    signature.resize(size);
    return signature;
}

}  // namespace

std::string authn_request_xml(const OnePassConfig& config, std::string_view id, std::time_t now) {
    return "<samlp:AuthnRequest xmlns:samlp=\"" + std::string(kProtocolNs) + "\" xmlns:saml=\"" +
           kAssertionNs + "\" ID=\"" + xml_escape(id) + "\" Version=\"2.0\" IssueInstant=\"" +
           format_saml_time(now) + "\" Destination=\"" + xml_escape(config.sso_url) +
           "\" AssertionConsumerServiceURL=\"" + xml_escape(config.acs_url) +
           "\" ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\"><saml:Issuer>" +
           xml_escape(config.sp_entity_id) +
           "</saml:Issuer><samlp:NameIDPolicy AllowCreate=\"false\"/></samlp:AuthnRequest>";
}

std::string deflate_raw(std::string_view data) {
    z_stream stream{};
    // Negative window bits: raw DEFLATE, no zlib header (bindings 3.4.4.1).
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("onepass: deflate cannot start");
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END) {
        throw std::runtime_error("onepass: deflate failed");
    }
    return out;
}

AuthnRequestBuilder::AuthnRequestBuilder(OnePassConfig config) : config_(std::move(config)) {
    if (!config_.sp_private_key.empty()) {
        sp_key_ = read_rsa_key(config_.sp_private_key);
    }
}

AuthnRedirect AuthnRequestBuilder::build(std::string_view relay_state, std::time_t now) const {
    AuthnRedirect out;
    out.request_id = random_id();
    std::string query =
        "SAMLRequest=" +
        percent_encode(encode_base64(deflate_raw(authn_request_xml(config_, out.request_id, now))));
    if (!relay_state.empty()) {
        query += "&RelayState=" + percent_encode(relay_state);
    }
    if (sp_key_) {
        query += "&SigAlg=" + percent_encode(kRsaSha256);
        query +=
            "&Signature=" + percent_encode(encode_base64(rsa_sha256_sign(sp_key_.get(), query)));
    }
    const char separator = config_.sso_url.find('?') == std::string::npos ? '?' : '&';
    out.url = config_.sso_url + separator + query;
    return out;
}

}  // namespace govmail::auth::saml
