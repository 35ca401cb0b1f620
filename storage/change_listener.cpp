#include "storage/change_listener.hpp"

#include <charconv>

#include "storage/pg/notification_listener.hpp"

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

awaitable<void> listen_for_changes(
    Pool& pool, std::function<void(const MailboxChange&)> on_change, std::function<void()> on_ready
) {
    co_await listen_channel(
        pool, kMailboxChannel,
        [on_change](std::string_view payload) {
            if (const auto change = parse_mailbox_change(payload)) {
                on_change(*change);
            }
        },
        [on_change, on_ready] {
            // Whatever happened while we were not listening is unknown: resync.
            on_change(MailboxChange{});
            if (on_ready) {
                on_ready();
            }
        }
    );
}

}  // namespace govmail::storage
