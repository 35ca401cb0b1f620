#include "runtime/socket_bio.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstdint>

namespace govmail {
namespace {

int descriptor(BIO* bio) {
    return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
}

bool would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK || error == EINTR; }

int socket_write(BIO* bio, const char* data, int length) {
    BIO_clear_retry_flags(bio);
    const auto n = ::send(descriptor(bio), data, static_cast<std::size_t>(length), MSG_NOSIGNAL);
    if (n < 0 && would_block(errno)) {
        BIO_set_retry_write(bio);
    }
    return static_cast<int>(n);
}

int socket_read(BIO* bio, char* data, int length) {
    BIO_clear_retry_flags(bio);
    const auto n = ::recv(descriptor(bio), data, static_cast<std::size_t>(length), 0);
    if (n < 0 && would_block(errno)) {
        BIO_set_retry_read(bio);
    }
    return static_cast<int>(n);
}

long socket_ctrl(BIO* /*bio*/, int command, long /*number*/, void* /*pointer*/) {
    // Writes go straight to the socket: there is nothing to flush. Nothing else is supported.
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}

int socket_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

BIO_METHOD* socket_method() {
    static BIO_METHOD* const method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "govmail socket");
        BIO_meth_set_write(m, socket_write);
        BIO_meth_set_read(m, socket_read);
        BIO_meth_set_ctrl(m, socket_ctrl);
        BIO_meth_set_create(m, socket_create);
        return m;
    }();
    return method;
}

}  // namespace

BIO* new_socket_bio(int fd) {
    BIO* bio = BIO_new(socket_method());
    if (bio != nullptr) {
        BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(fd)));
    }
    return bio;
}

}  // namespace govmail
