#include "runtime/tls.hpp"

#include <openssl/ssl.h>

namespace govmail {
namespace ssl = boost::asio::ssl;

namespace {

// ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2; TLS 1.3 suites are all AEAD + FS.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// The verification result is inspected after the handshake by the auth layer, which can say
// what was wrong; an unknown certificate must not abort the handshake for password users.
int accept_any_client_certificate(int /*preverified*/, X509_STORE_CTX* /*ctx*/) { return 1; }

}  // namespace

ssl::context make_server_tls_context(const TlsFiles& files) {
    ssl::context ctx(ssl::context::tls_server);
    SSL_CTX* native = ctx.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_options(
        native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION |
                    SSL_OP_NO_TICKET
    );
    SSL_CTX_set_cipher_list(native, kTls12Ciphers);
    ctx.use_certificate_chain_file(files.certificate_chain.string());
    ctx.use_private_key_file(files.private_key.string(), ssl::context::pem);
    if (!files.client_ca_bundle.empty()) {
        ctx.load_verify_file(files.client_ca_bundle.string());
        SSL_CTX_set_verify(native, SSL_VERIFY_PEER, accept_any_client_certificate);
        SSL_CTX_set_client_CA_list(native, SSL_load_client_CA_file(files.client_ca_bundle.c_str()));
    }
    return ctx;
}

bool client_presented_certificate(SSL* tls) {
    return tls != nullptr && SSL_get0_peer_certificate(tls) != nullptr;
}

}  // namespace govmail
