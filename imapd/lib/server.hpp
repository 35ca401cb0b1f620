#pragma once

// The IMAP service (RFC 3501 IMAP4rev1 with the extensions listed in imapd/cmd/any_state.cpp)
// of govmail: port 143 with STARTTLS and port 993 with implicit TLS (RFC 8314). Talks to
// untrusted clients over the network and runs unprivileged. LOGIN and AUTHENTICATE only after
// TLS; every read has a deadline (imap.login_timeout before login, imap.idle_timeout after);
// lines and literals are bounded; a client that keeps sending bad commands is disconnected.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>

#include "auth/authenticator.hpp"
#include "common/config.hpp"
#include "imapd/cmd/session.hpp"
#include "imapd/lib/change_hub.hpp"
#include "runtime/byte_stream.hpp"
#include "runtime/session_registry.hpp"
#include "storage/mailstore.hpp"
#include "storage/pg/pool.hpp"

namespace govmail::imap {

enum class ListenerKind { Imap, Imaps };

// Everything the sessions of one daemon share.
class ImapService {
public:
    ImapService(
        const Config& config,
        storage::Pool& pool,
        boost::asio::ssl::context& tls,
        auth::Authenticator* authenticator,
        std::function<std::int64_t()> now
    );

    // Relays the database's mailbox changes and account events to the sessions until
    // cancelled; run one per daemon.
    boost::asio::awaitable<void> relay_changes();
    boost::asio::awaitable<void> relay_account_events();
    // Every session says BYE and ends.
    void shutdown() { sessions_.shutdown(); }

    ServerContext& context() { return context_; }
    boost::asio::ssl::context& tls() { return tls_; }
    ChangeHub& hub() { return hub_; }
    SessionRegistry& sessions() { return sessions_; }
    const Config& config() const { return config_; }

private:
    const Config& config_;
    storage::Pool& pool_;
    storage::Mailstore store_;
    boost::asio::ssl::context& tls_;
    ServerContext context_;
    ChangeHub hub_;
    SessionRegistry sessions_;
};

// Serves one connection until LOGOUT, error, timeout or shutdown.
boost::asio::awaitable<void> serve_imap(
    std::unique_ptr<ByteStream> stream, ListenerKind kind, ImapService& service
);

}  // namespace govmail::imap
