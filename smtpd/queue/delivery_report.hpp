#pragma once

// Sending a DSN to the sender of a queued message: into their INBOX when the sender is a
// local account, else through the outbound queue with the null sender and NOTIFY=NEVER, so
// a report never causes another report.

#include <boost/asio/awaitable.hpp>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "smtpd/queue/dsn.hpp"
#include "smtpd/queue/queue_context.hpp"

namespace govmail::smtpd {

// Whether a recipient's NOTIFY value ("NEVER" or a comma list) asks for EVENT
// ("SUCCESS", "FAILURE" or "DELAY").
bool notify_requests(std::string_view notify, std::string_view event);

// Stores a report about RECIPIENTS (all with the same action) for MESSAGE's sender. A value
// means it is committed (or deliberately dropped: the local sender no longer exists).
boost::asio::awaitable<Result<void>> send_report(
    QueueContext& ctx,
    const storage::ClaimedMessage& message,
    std::string_view original,
    std::vector<DsnRecipient> recipients
);

}  // namespace govmail::smtpd
