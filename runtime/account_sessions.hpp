#pragma once

// The auth event the daemons use to end the open sessions of an account that may no longer
// log in (suspended, locked, retired, deleted), within moments and across processes: the
// change's transaction notifies govmail_account (storage/account_events.hpp) and every daemon
// listening ends that account's sessions in its SessionRegistry. Notifications sent while a
// daemon's listener was reconnecting are lost, so after every (re)connection the accounts with
// open sessions are checked against the store.

#include <boost/asio/awaitable.hpp>

#include "runtime/session_registry.hpp"
#include "storage/pg/pool.hpp"

namespace govmail {

// Runs until cancelled; one per daemon.
boost::asio::awaitable<void> end_sessions_of_disabled_accounts(
    storage::Pool& pool, SessionRegistry& sessions
);

}  // namespace govmail
