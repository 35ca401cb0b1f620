#pragma once

// Account lifecycle notifications across processes. When an account stops being allowed to
// log in (suspended, locked, retired, deleted), the trigger on accounts (migration 16) sends
//
//     NOTIFY govmail_account, '<account_id>'
//
// (pg_notify, payload the decimal account id) in the transaction that changed it, whichever
// statement did. PostgreSQL delivers it at commit, so a daemon
// that LISTENs on the channel learns only of committed changes; it then ends that account's
// open sessions (IMAP IDLE included). Logins check the state themselves, so nothing but the
// open sessions depends on the notification.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

inline constexpr std::string_view kAccountChannel = "govmail_account";

// The account a notification payload names; nullopt if malformed.
std::optional<AccountId> parse_account_event(std::string_view payload);

// Runs until cancelled, calling ON_ACCOUNT for each notified account. ON_LISTENING runs after
// every (re)connection: events sent while not listening are lost, so the caller re-checks.
boost::asio::awaitable<void> listen_for_account_events(
    Pool& pool, std::function<void(AccountId)> on_account, std::function<void()> on_listening
);

// Those of ACCOUNTS that may not log in now: not active, or gone.
boost::asio::awaitable<Result<std::vector<AccountId>>> disabled_accounts(
    Pool& pool, const std::vector<AccountId>& accounts
);

}  // namespace govmail::storage
