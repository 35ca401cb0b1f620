// Delivery of one claimed queue entry. Order of writes, chosen so a crash can duplicate a
// report but never lose one, and never resend to a recipient whose acceptance was recorded:
// 1. delivered and retried recipients, right after the remote reply;
// 2. the failure report, then the failed recipients (a report that cannot be stored leaves
//    them to be retried, which brings the same report again);
// 3. the success report (best effort).

#include "smtpd/queue/message_delivery.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/this_coro.hpp>
#include <map>

#include "common/logging.hpp"
#include "smtpd/queue/data_encoding.hpp"
#include "smtpd/queue/delivery_report.hpp"
#include "smtpd/queue/routing.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;
using storage::RecipientState;

namespace {

// A recipient with what this attempt gave it.
struct Tried {
    const storage::ClaimedRecipient* recipient;
    RecipientReply reply;
    std::string remote_mta;
};

awaitable<void> record(
    QueueContext& ctx,
    const storage::ClaimedMessage& message,
    std::vector<storage::AttemptResult> results
) {
    if (results.empty()) {
        co_return;
    }
    const auto done = co_await ctx.queue.record(message, results);
    if (!done) {
        // The lease runs out and the recipients are tried again.
        spdlog::error(
            "queue {}: recording results failed: {}", message.queue_id, done.error().message()
        );
    }
}

DsnRecipient dsn_recipient(const Tried& tried, DsnAction action) {
    return DsnRecipient{tried.recipient->address, tried.recipient->orcpt, action,
                        tried.reply.status,       tried.remote_mta,       tried.reply.reply};
}

awaitable<void> settle(
    QueueContext& ctx,
    const storage::ClaimedMessage& message,
    std::string_view original,
    std::vector<Tried> tried
) {
    const auto now = ctx.now();
    const bool reports = !message.sender.empty();  // never report on a report
    std::vector<storage::AttemptResult> settled;
    std::vector<storage::AttemptResult> failed;
    std::vector<DsnRecipient> failures;
    std::vector<DsnRecipient> successes;
    for (const auto& t : tried) {
        const auto& r = *t.recipient;
        auto decision = decide(ctx.schedule, t.reply.outcome, r.attempt, message.queued_at, now);
        storage::AttemptResult result{
            r.address, r.attempt, decision.state, decision.retry_after, t.reply.reply};
        spdlog::info(
            "queue {}: <{}> attempt {}: {} ({})", message.queue_id, printable(r.address), r.attempt,
            decision.state == RecipientState::Delivered ? "delivered"
            : decision.state == RecipientState::Failed  ? "failed"
                                                        : "deferred",
            printable(t.reply.reply, 200)
        );
        if (decision.state != RecipientState::Failed) {
            if (decision.state == RecipientState::Delivered && reports &&
                notify_requests(r.notify, "SUCCESS")) {
                successes.push_back(dsn_recipient(t, DsnAction::Delivered));
            }
            settled.push_back(std::move(result));
            continue;
        }
        if (reports && notify_requests(r.notify, "FAILURE")) {
            auto dsn = dsn_recipient(t, DsnAction::Failed);
            if (decision.expired) {
                dsn.status = "4.4.7";  // RFC 3463: delivery time expired
            }
            failures.push_back(std::move(dsn));
        }
        failed.push_back(std::move(result));
    }
    co_await record(ctx, message, std::move(settled));
    if (!failures.empty()) {
        const auto sent = co_await send_report(ctx, message, original, std::move(failures));
        if (!sent) {
            spdlog::error(
                "queue {}: storing the failure report failed: {}", message.queue_id,
                sent.error().message()
            );
            for (auto& f : failed) {
                f.state = RecipientState::Pending;
                f.retry_after = retry_delay(ctx.schedule, f.attempt);
            }
        }
    }
    co_await record(ctx, message, std::move(failed));
    if (!successes.empty()) {
        const auto sent = co_await send_report(ctx, message, original, std::move(successes));
        if (!sent) {
            spdlog::warn(
                "queue {}: storing the success report failed: {}", message.queue_id,
                sent.error().message()
            );
        }
    }
}

// What one SMTP session (or the failure to get one) is about: the recipients that share a
// destination, and the message.
struct Group {
    const storage::ClaimedMessage& message;
    std::vector<const storage::ClaimedRecipient*> recipients;
    std::string_view original;  // as stored, without Return-Path
    std::string_view data;      // encoded for DATA
};

std::vector<Tried> same_for_group(const Group& group, const RecipientReply& reply) {
    std::vector<Tried> out;
    for (const auto* r : group.recipients) {
        out.push_back(Tried{r, reply, ""});
    }
    return out;
}

// Tries the route's hosts in order until one takes the session, and settles every
// recipient of GROUP: right after the transaction's replies, before QUIT.
awaitable<void> send_group(
    QueueContext& ctx, const Group& group, ClientStream::Clock::time_point deadline
) {
    const auto& message = group.message;
    const auto route = co_await route_for(ctx, recipient_domain(group.recipients.front()->address));
    if (route.failure) {
        auto tried = same_for_group(group, *route.failure);
        co_await settle(ctx, message, group.original, std::move(tried));
        co_return;
    }
    Envelope envelope{message.sender, message.envid, message.return_full, {}};
    for (const auto* r : group.recipients) {
        envelope.recipients.push_back(EnvelopeRecipient{r->address, r->orcpt, r->notify});
    }
    const auto executor = co_await boost::asio::this_coro::executor;
    std::string last_failure;
    for (const auto& destination : route.hosts) {
        spdlog::debug(
            "queue {}: trying {}:{}", message.queue_id, destination.host, destination.port
        );
        SmtpClient client(executor, ctx.client, deadline);
        auto failed = co_await client.open(destination.host, destination.port);
        if (failed) {
            spdlog::info("queue {}: {}", message.queue_id, printable(*failed, 300));
            last_failure = std::move(*failed);
            co_await client.quit();
            continue;
        }
        const auto replies = co_await client.send(envelope, group.data, group.original.size());
        std::vector<Tried> tried;
        for (std::size_t i = 0; i < group.recipients.size(); ++i) {
            tried.push_back(Tried{group.recipients[i], replies[i], destination.host});
        }
        co_await settle(ctx, message, group.original, std::move(tried));
        co_await client.quit();
        co_return;
    }
    const RecipientReply unreachable{AttemptOutcome::Transient, "4.4.1", last_failure};
    auto tried = same_for_group(group, unreachable);
    co_await settle(ctx, message, group.original, std::move(tried));
}

}  // namespace

awaitable<void> deliver_claimed(
    QueueContext& ctx,
    storage::ClaimedMessage message,
    ClientStream::Clock::time_point session_deadline
) {
    spdlog::debug("queue {}: {} recipient(s) claimed", message.queue_id, message.recipients.size());
    const auto raw = co_await ctx.store.fetch_raw(message.body_id);
    if (!raw) {
        spdlog::error(
            "queue {}: reading the message failed: {}", message.queue_id, raw.error().message()
        );
        co_return;  // the lease runs out and it is tried again
    }
    const std::string_view original = smtp::without_return_path(*raw);
    const std::string data = smtp::encode_data(original);
    // One session per destination: the relay host takes everything, else one per domain.
    const bool relay = !ctx.config.queue.relay_host.empty();
    std::map<std::string, std::vector<const storage::ClaimedRecipient*>> by_destination;
    for (const auto& r : message.recipients) {
        by_destination[relay ? std::string() : recipient_domain(r.address)].push_back(&r);
    }
    for (auto& [destination, recipients] : by_destination) {
        const Group group{message, std::move(recipients), original, data};
        co_await send_group(ctx, group, session_deadline);
    }
}

}  // namespace govmail::smtpd
