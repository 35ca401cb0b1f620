#pragma once

// The reconnecting LISTEN loop under every cross-process notification of the suite (mailbox
// changes, queued mail, account events): a connection of its own LISTENs on one channel and
// reports each payload. When the connection is lost it reconnects with back-off; as anything
// notified meanwhile is lost, ON_LISTENING runs after every (re)connection so the caller can
// resynchronise.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string_view>

#include "storage/pg/pool.hpp"

namespace govmail::storage {

// Runs until cancelled.
boost::asio::awaitable<void> listen_channel(
    Pool& pool,
    std::string_view channel,
    std::function<void(std::string_view payload)> on_payload,
    std::function<void()> on_listening
);

}  // namespace govmail::storage
