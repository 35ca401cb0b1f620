#include "storage/change_listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

namespace govmail::storage {
namespace asio = boost::asio;
using asio::awaitable;

std::optional<MailboxChange> parse_mailbox_change(std::string_view payload) {
    const auto colon = payload.find(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    MailboxChange change;
    const auto a = payload.substr(0, colon);
    const auto m = payload.substr(colon + 1);
    const auto ra = std::from_chars(a.data(), a.data() + a.size(), change.account);
    const auto rm = std::from_chars(m.data(), m.data() + m.size(), change.mailbox);
    if (ra.ec != std::errc{} || ra.ptr != a.data() + a.size() || rm.ec != std::errc{} ||
        rm.ptr != m.data() + m.size() || change.account <= 0) {
        return std::nullopt;
    }
    return change;
}

namespace {

// Reports notifications until the connection fails.
awaitable<void> relay_notifications(
    Connection& conn, const std::function<void(const MailboxChange&)>& on_change
) {
    for (;;) {
        auto batch = co_await conn.wait_notifications();
        if (!batch) {
            co_return;
        }
        for (const auto& n : *batch) {
            if (const auto change = parse_mailbox_change(n.payload)) {
                on_change(*change);
            }
        }
    }
}

}  // namespace

awaitable<void> listen_for_changes(
    Pool& pool, std::function<void(const MailboxChange&)> on_change, std::function<void()> on_ready
) {
    const auto ex = co_await asio::this_coro::executor;
    auto backoff = std::chrono::milliseconds(100);
    for (;;) {
        auto conn = co_await Connection::open(
            ex, pool.options().dsn, pool.blocking(), pool.options().query_timeout
        );
        if (conn) {
            const auto listening =
                co_await (*conn)->execute_script("LISTEN " + std::string(kMailboxChannel));
            if (listening) {
                backoff = std::chrono::milliseconds(100);
                // Whatever happened while we were not listening is unknown: resync.
                on_change(MailboxChange{});
                if (on_ready) {
                    on_ready();
                }
                co_await relay_notifications(**conn, on_change);
            }
        }
        spdlog::warn("change listener: database connection lost, reconnecting");
        asio::steady_timer timer(ex, backoff);
        co_await timer.async_wait(asio::use_awaitable);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
}

}  // namespace govmail::storage
