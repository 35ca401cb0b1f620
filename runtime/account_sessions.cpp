#include "runtime/account_sessions.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "storage/account_events.hpp"

namespace govmail {
namespace asio = boost::asio;

namespace {

void end_account(SessionRegistry& sessions, storage::AccountId account) {
    spdlog::info("account {} may no longer log in: ending its sessions", account);
    sessions.end_account(account);
}

// Ends the sessions of every logged-in account that is no longer active.
asio::awaitable<void> end_sessions_of_disabled(storage::Pool& pool, SessionRegistry& sessions) {
    const auto open = sessions.accounts();
    if (open.empty()) {
        co_return;
    }
    const auto disabled = co_await storage::disabled_accounts(pool, open);
    if (!disabled) {
        spdlog::warn(
            "cannot re-check the accounts of open sessions: {}", disabled.error().message()
        );
        co_return;
    }
    for (const auto account : *disabled) {
        end_account(sessions, account);
    }
}

}  // namespace

asio::awaitable<void> end_sessions_of_disabled_accounts(
    storage::Pool& pool, SessionRegistry& sessions
) {
    const auto ex = co_await asio::this_coro::executor;
    co_await storage::listen_for_account_events(
        pool, [&sessions](storage::AccountId account) { end_account(sessions, account); },
        [ex, &pool, &sessions] {
            asio::co_spawn(ex, end_sessions_of_disabled(pool, sessions), asio::detached);
        }
    );
}

}  // namespace govmail
