#pragma once

// The SMTP service (RFC 5321) of govmail: MX on port 25 for mail from other servers (local
// recipients only, no AUTH, never a relay), submission on 587 (STARTTLS, AUTH required) and
// submissions on 465 (implicit TLS, RFC 8314). Talks to untrusted clients over the network and
// runs unprivileged; every limit comes from the configuration. A 250 after DATA follows the
// commit of the message for every recipient (and the queue entry for remote ones).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "auth/authenticator.hpp"
#include "common/config.hpp"
#include "filter/rspamd_client.hpp"
#include "runtime/byte_stream.hpp"
#include "runtime/session_registry.hpp"
#include "storage/address_store.hpp"
#include "storage/audit_store.hpp"
#include "storage/mailstore.hpp"

namespace govmail::smtpd {

enum class ListenerKind { Mx, Submission, Submissions };

struct SmtpContext {
    const Config& config;
    storage::Mailstore& store;
    boost::asio::ssl::context& tls;
    auth::Authenticator* authenticator = nullptr;  // null: AUTH is not offered
    // Unix seconds now; injected so tests control time.
    std::function<std::int64_t()> now;
    // The daemon's open sessions: ended at shutdown, or when their account is disabled
    // (421 and close).
    SessionRegistry& sessions;
    // The scanner of this context's sessions and the audit log of its refusals, set when
    // [filter] is enabled; null: mail is stored unscanned (smtpd/lib/scan_decision.hpp).
    filter::RspamdClient* scanner = nullptr;
    storage::AuditStore* audit = nullptr;
    // Aliases and unit lists (smtpd/lib/recipients.hpp); null: every address is an account.
    storage::AddressStore* addresses = nullptr;
};

// Serves one connection until QUIT, error, timeout or shutdown.
boost::asio::awaitable<void> serve_smtp(
    std::unique_ptr<ByteStream> stream, ListenerKind kind, SmtpContext& ctx
);

}  // namespace govmail::smtpd
