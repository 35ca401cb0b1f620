#include "storage/account_events.hpp"

#include <charconv>

#include "storage/pg/notification_listener.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/accounts.hpp"

namespace govmail::storage {

std::optional<AccountId> parse_account_event(std::string_view payload) {
    AccountId account = 0;
    const auto end = payload.data() + payload.size();
    const auto parsed = std::from_chars(payload.data(), end, account);
    if (parsed.ec != std::errc{} || parsed.ptr != end || account <= 0) {
        return std::nullopt;
    }
    return account;
}

boost::asio::awaitable<void> listen_for_account_events(
    Pool& pool, std::function<void(AccountId)> on_account, std::function<void()> on_listening
) {
    co_await listen_channel(
        pool, kAccountChannel,
        [on_account](std::string_view payload) {
            if (const auto account = parse_account_event(payload)) {
                on_account(*account);
            }
        },
        std::move(on_listening)
    );
}

boost::asio::awaitable<Result<std::vector<AccountId>>> disabled_accounts(
    Pool& pool, const std::vector<AccountId>& accounts
) {
    co_return co_await run_all_rows(
        pool, sql::kDisabledAccounts, Params(accounts),
        [](const PgResult& r, int row) { return r.int64(row, 0); }
    );
}

}  // namespace govmail::storage
