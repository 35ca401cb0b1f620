// STARTTLS (RFC 3207) on the MX and submission listeners: 220, then the TLS handshake, then the
// session starts over. The table refuses it once TLS is active.

#include <spdlog/spdlog.h>

#include "smtpd/lib/session.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;

awaitable<void> Session::on_starttls(const smtp::StartTls&) {
    reply(220, "2.0.0", "Ready to start TLS");
    const bool flushed = co_await flush();
    if (!flushed) {
        quit_ = true;
        co_return;
    }
    // RFC 3207 4.2 and CVE-2011-0411: plaintext pipelined after STARTTLS is discarded, never
    // read as if it came over TLS.
    input_.clear();
    lines_.reset();
    boost::system::error_code ec;
    co_await stream_.start_tls(ctx_.tls, kTlsHandshakeTimeout, ec);
    if (ec) {
        spdlog::info(
            "smtp {}: STARTTLS handshake failed: {}", stream_.peer_address().to_string(),
            ec.message()
        );
        quit_ = true;
        output_.clear();
        co_return;
    }
    // The session starts over (RFC 3207 4.2): forget HELO, transaction and authentication.
    helo_.clear();
    esmtp_ = false;
    account_.reset();
    reset_transaction();
}

}  // namespace govmail::smtpd
