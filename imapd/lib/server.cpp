#include "imapd/lib/server.hpp"

#include "imapd/lib/connection.hpp"
#include "runtime/account_sessions.hpp"
#include "storage/change_listener.hpp"

namespace govmail::imap {

ImapService::ImapService(
    const Config& config,
    storage::Pool& pool,
    boost::asio::ssl::context& tls,
    auth::Authenticator* authenticator,
    std::function<std::int64_t()> now
)
    : config_(config),
      pool_(pool),
      store_(pool, config.imap.flag_commit, config.imap.expunge_history),
      tls_(tls),
      context_{config, store_, authenticator, std::move(now)} {}

boost::asio::awaitable<void> ImapService::relay_changes() {
    co_await storage::listen_for_changes(pool_, [this](const storage::MailboxChange& change) {
        hub_.publish(change);
    });
}

boost::asio::awaitable<void> ImapService::relay_account_events() {
    co_await end_sessions_of_disabled_accounts(pool_, sessions_);
}

boost::asio::awaitable<void> serve_imap(
    std::unique_ptr<ByteStream> stream, ListenerKind kind, ImapService& service
) {
    Connection connection(std::move(stream), kind, service);
    co_await connection.run();
}

}  // namespace govmail::imap
