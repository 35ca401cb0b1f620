// STARTTLS (RFC 3207) on the MX and submission listeners: 220, then the TLS handshake, then the
// session starts over. The table refuses it once TLS is active.

#include "smtpd/lib/session.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;

awaitable<void> Session::on_starttls(const smtp::StartTls&) {
    reply(220, "2.0.0", "Ready to start TLS");
    // RFC 3207 4.2 and CVE-2011-0411: plaintext pipelined after STARTTLS is discarded (by the
    // loop, with what the line reader holds), never read as if it came over TLS.
    const bool secured = co_await loop_.start_tls(ctx_.tls);
    lines_.reset();
    if (!secured) {
        quit_ = true;
        co_return;
    }
    // The session starts over (RFC 3207 4.2): forget HELO, transaction and authentication.
    helo_.clear();
    esmtp_ = false;
    account_.reset();
    reset_transaction();
}

}  // namespace govmail::smtpd
