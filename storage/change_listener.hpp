#pragma once

// Change notification across processes: a dedicated connection LISTENs on the channel the
// mailbox_messages trigger notifies, and reports each changed (account, mailbox). The daemon
// fans these out to its sessions; after a lost connection it reconnects with back-off and
// reports a resync (account 0) so sessions re-read their mailbox state.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string_view>

#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

inline constexpr std::string_view kMailboxChannel = "govmail_mailbox";

struct MailboxChange {
    AccountId account = 0;  // 0: notifications may have been missed; resync everything
    MailboxId mailbox = 0;
};

// Parses a notification payload "account:mailbox"; nullopt if malformed.
std::optional<MailboxChange> parse_mailbox_change(std::string_view payload);

// Runs until cancelled, calling ON_CHANGE for every change. ON_READY is called each time
// the listener is (re)connected and listening.
boost::asio::awaitable<void> listen_for_changes(
    Pool& pool,
    std::function<void(const MailboxChange&)> on_change,
    std::function<void()> on_ready = {}
);

}  // namespace govmail::storage
