// HELO and EHLO (RFC 5321 4.1.1.1): the client names itself, any transaction is reset, and
// EHLO lists the extensions this listener offers now (AUTH only on submission after TLS).

#include "auth/sasl_server.hpp"
#include "runtime/tls.hpp"
#include "smtpd/lib/session.hpp"
#include "smtpd/proto/reply.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;

awaitable<void> Session::on_helo(const smtp::Helo& helo) {
    helo_ = helo.domain;
    esmtp_ = false;
    reset_transaction();
    reply(250, "", ctx_.config.hostname);
    co_return;
}

awaitable<void> Session::on_ehlo(const smtp::Ehlo& ehlo) {
    helo_ = ehlo.domain;
    esmtp_ = true;
    reset_transaction();
    smtp::EhloCapabilities caps;
    caps.size = ctx_.config.smtp.max_message_bytes;
    caps.smtputf8 = true;
    caps.dsn = true;
    caps.chunking = true;
    caps.starttls = !tls_active();
    if (auth_offered() && !account_) {
        for (const auto mechanism :
             auth::sasl_mechanisms(client_presented_certificate(loop_.stream().tls_handle()))) {
            caps.auth_mechanisms.emplace_back(mechanism);
        }
    }
    output_ += smtp::format_ehlo_reply(ctx_.config.hostname, caps);
    co_return;
}

}  // namespace govmail::smtpd
