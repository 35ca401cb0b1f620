#include "storage/pg/notification_listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>

namespace govmail::storage {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr auto kFirstRetry = std::chrono::milliseconds(100);
constexpr auto kLongestRetry = std::chrono::milliseconds(5000);

// Reports notifications until the connection fails.
awaitable<void> relay_notifications(
    Connection& conn, const std::function<void(std::string_view)>& on_payload
) {
    for (;;) {
        auto batch = co_await conn.wait_notifications();
        if (!batch) {
            co_return;
        }
        for (const auto& notification : *batch) {
            on_payload(notification.payload);
        }
    }
}

}  // namespace

awaitable<void> listen_channel(
    Pool& pool,
    std::string_view channel,
    std::function<void(std::string_view)> on_payload,
    std::function<void()> on_listening
) {
    const std::string listen = "LISTEN " + std::string(channel);
    const auto ex = co_await asio::this_coro::executor;
    auto backoff = kFirstRetry;
    for (;;) {
        auto conn = co_await Connection::open(
            ex, pool.options().dsn, pool.blocking(), pool.options().query_timeout
        );
        if (conn) {
            const auto listening = co_await (*conn)->execute_script(listen);
            if (listening) {
                backoff = kFirstRetry;
                on_listening();
                co_await relay_notifications(**conn, on_payload);
            }
        }
        spdlog::warn("listener on {}: database connection lost, reconnecting", channel);
        asio::steady_timer timer(ex, backoff);
        co_await timer.async_wait(asio::use_awaitable);
        backoff = std::min(backoff * 2, kLongestRetry);
    }
}

}  // namespace govmail::storage
