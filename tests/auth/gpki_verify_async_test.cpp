// GpkiVerifier::verify_async: the certificate a client presented in a real TLS handshake
// (OpenSSL over a BIO pair, no sockets) is checked on the verifier's blocking threads and the
// verdict comes back to the caller's io_context.

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <thread>

#include "auth/gpki_verifier.hpp"
#include "tests/auth/gpki_test_pki.hpp"

namespace govmail::auth {
namespace {

namespace fs = std::filesystem;

using SslCtxPtr = std::unique_ptr<SSL_CTX, OpensslFree<SSL_CTX, SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, OpensslFree<SSL, SSL_free>>;

class GpkiVerifyAsyncTest : public GpkiTestPki {
protected:
    static SslCtxPtr context(const SSL_METHOD* method, const std::string& name) {
        SslCtxPtr ctx(SSL_CTX_new(method));
        const auto pem = (*dir_ / (name + ".pem")).string();
        const auto key = (*dir_ / (name + ".key")).string();
        EXPECT_EQ(SSL_CTX_use_certificate_file(ctx.get(), pem.c_str(), SSL_FILETYPE_PEM), 1);
        EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM), 1);
        return ctx;
    }

    // The server's end of a finished handshake with CLIENT (whose certificate it accepts
    // whatever it is, as the daemons do); the client's end in CLIENT_END.
    static SslPtr server_end(SSL_CTX* server, SSL_CTX* client, SslPtr& client_end) {
        SSL_CTX_set_verify(server, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
        SslPtr s(SSL_new(server));
        client_end.reset(SSL_new(client));
        BIO* server_bio = nullptr;
        BIO* client_bio = nullptr;
        BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
        SSL_set_bio(s.get(), server_bio, server_bio);
        SSL_set_bio(client_end.get(), client_bio, client_bio);
        SSL_set_accept_state(s.get());
        SSL_set_connect_state(client_end.get());
        for (int round = 0; round < 20; ++round) {
            const int c = SSL_do_handshake(client_end.get());
            if (SSL_do_handshake(s.get()) == 1 && c == 1) {
                break;
            }
        }
        return s;
    }

    static GpkiVerdict verify_async_as(const std::string& name) {
        GpkiVerifier verifier(config());
        const auto server = context(TLS_server_method(), "good");
        const auto client = context(TLS_client_method(), name);
        SslPtr client_end;
        const auto tls = server_end(server.get(), client.get(), client_end);
        boost::asio::io_context io;
        GpkiVerdict verdict;
        std::thread::id resumed_on;
        boost::asio::co_spawn(
            io,
            [&]() -> boost::asio::awaitable<void> {
                verdict = co_await verifier.verify_async(tls.get());
                resumed_on = std::this_thread::get_id();
            },
            boost::asio::detached
        );
        io.run();
        EXPECT_EQ(resumed_on, std::this_thread::get_id());
        return verdict;
    }
};

TEST_F(GpkiVerifyAsyncTest, ChecksThePresentedCertificateAndResumesOnTheCaller) {
    const auto good = verify_async_as("good");
    ASSERT_TRUE(good.identity) << good.refusal;
    EXPECT_NE(good.subject.find("089홍길동001"), std::string::npos);
    const auto revoked = verify_async_as("revoked");
    EXPECT_FALSE(revoked.identity);
    EXPECT_EQ(revoked.refusal, "Certificate has been revoked");
}

}  // namespace
}  // namespace govmail::auth
