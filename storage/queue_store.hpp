#pragma once

// The outbound queue as the runner sees it: claim the due recipients of one queued message
// (a lease, safe with several smtpd processes), record what each attempt gave, and wake up
// when a delivery queues new mail (LISTEN on the channel the migration's trigger notifies).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

inline constexpr std::string_view kOutboundChannel = "govmail_outbound";

using QueueId = std::int64_t;

struct ClaimedRecipient {
    std::string address;
    std::string orcpt;   // "rfc822;user@example.org" or empty
    std::string notify;  // "NEVER" or a comma list of SUCCESS, FAILURE, DELAY
    int attempt = 0;     // this attempt's number, 1 for the first
};

// One queued message with the recipients this runner now holds a lease on.
struct ClaimedMessage {
    AccountId account = 0;
    QueueId queue_id = 0;
    std::string sender;  // "" for the null sender
    std::string body_id;
    std::string envid;  // "" when the submitter gave none
    bool return_full = true;
    std::int64_t queued_at = 0;  // unix seconds
    std::vector<ClaimedRecipient> recipients;
};

enum class RecipientState { Delivered, Pending, Failed };

struct AttemptResult {
    std::string address;
    int attempt = 0;  // the claim's attempt number
    RecipientState state = RecipientState::Pending;
    std::chrono::seconds retry_after{0};  // Pending only
    std::string reply;                    // the remote reply or the local reason, for logs
};

class QueueStore {
public:
    explicit QueueStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // The due recipients of the longest-waiting message, marked sending until LEASE passes;
    // nullopt when nothing is due.
    Task<std::optional<ClaimedMessage>> claim_next(std::chrono::seconds lease);

    // Stores RESULTS for recipients of MESSAGE claimed earlier; drops the entry when no
    // recipient is left to try.
    Task<void> record(const ClaimedMessage& message, std::span<const AttemptResult> results);

private:
    Pool& pool_;
};

// Runs until cancelled, calling ON_QUEUED whenever mail was queued, and once after every
// (re)connection since notifications may have been missed.
boost::asio::awaitable<void> listen_for_queued_mail(Pool& pool, std::function<void()> on_queued);

}  // namespace govmail::storage
