#pragma once

// An OpenSSL BIO on a non-blocking socket descriptor it does not own. Unlike BIO_s_socket it
// writes with MSG_NOSIGNAL, so a peer that went away is an EPIPE error instead of a SIGPIPE
// that would end the whole daemon. A call that would block fails with the BIO's retry flag
// set, so SSL_get_error reports SSL_ERROR_WANT_READ / SSL_ERROR_WANT_WRITE.

#include <openssl/bio.h>

namespace govmail {

// A new BIO on FD (nullptr when OpenSSL is out of memory); the caller closes FD.
BIO* new_socket_bio(int fd);

}  // namespace govmail
