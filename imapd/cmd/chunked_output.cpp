#include "imapd/cmd/chunked_output.hpp"

namespace govmail::imap {

Awaitable<bool> flush_when_full(Session& s) {
    bool written = true;
    if (s.out.size() >= kFlushAt) {
        written = co_await s.io.flush();
    }
    if (!written) {
        s.state = State::Logout;
    }
    co_return written;
}

}  // namespace govmail::imap
