#include "smtpd/queue/delivery_report.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <array>

#include "common/hex.hpp"
#include "common/logging.hpp"
#include "mime/parse.hpp"
#include "smtpd/lib/recipients.hpp"
#include "smtpd/lib/trace_headers.hpp"
#include "smtpd/proto/ascii.hpp"
#include "smtpd/queue/routing.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;

namespace {

std::string random_token() {
    std::array<unsigned char, 12> bytes{};
    RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
    return hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

awaitable<Result<void>> deliver_locally(
    QueueContext& ctx, const std::string& sender, std::string report
) {
    const auto account = co_await ctx.store.find_account(sender);
    if (!account) {
        if (account.error() == make_error_code(storage::Errc::NotFound)) {
            spdlog::warn("queue: report for <{}> dropped, no such account", printable(sender));
            co_return Result<void>{};
        }
        co_return account.error();
    }
    const std::string raw = return_path_header("") + report;
    const auto parsed = mime::parse(raw);
    const storage::DeliveryTarget target{account->id, "INBOX"};
    const storage::IncomingMessage incoming{raw, parsed, ctx.now(), {}};
    auto stored = co_await ctx.store.deliver(incoming, std::span(&target, 1));
    if (!stored) {
        co_return stored.error();
    }
    co_return Result<void>{};
}

awaitable<Result<void>> queue_remote(
    QueueContext& ctx,
    const storage::ClaimedMessage& message,
    const std::string& recipient,
    std::string report
) {
    storage::OutboundEnvelope envelope;
    envelope.account = message.account;
    envelope.return_full = false;
    envelope.recipients.push_back(storage::OutboundRecipient{recipient, "", "NEVER"});
    const auto parsed = mime::parse(report);
    const storage::IncomingMessage incoming{report, parsed, ctx.now(), {}};
    auto stored = co_await ctx.store.deliver(incoming, {}, &envelope);
    if (!stored) {
        co_return stored.error();
    }
    co_return Result<void>{};
}

}  // namespace

bool notify_requests(std::string_view notify, std::string_view event) {
    while (!notify.empty()) {
        const auto comma = notify.find(',');
        if (smtp::ascii::iequals(notify.substr(0, comma), event)) {
            return true;
        }
        notify.remove_prefix(comma == std::string_view::npos ? notify.size() : comma + 1);
    }
    return false;
}

awaitable<Result<void>> send_report(
    QueueContext& ctx,
    const storage::ClaimedMessage& message,
    std::string_view original,
    std::vector<DsnRecipient> recipients
) {
    DsnReport report;
    report.reporting_mta = ctx.config.hostname;
    // Forwarded mail's sender is an SRS address: the report goes to the original sender.
    const auto recipient = report_recipient(ctx.config, message.sender, ctx.now());
    report.sender = recipient;
    report.envid = message.envid;
    report.arrival_date = message.queued_at;
    report.date = ctx.now();
    report.unique = random_token();
    report.return_full = message.return_full;
    report.original = original;
    report.recipients = std::move(recipients);
    std::string composed = compose_dsn(report);
    if (ctx.config.is_local_domain(recipient_domain(recipient))) {
        co_return co_await deliver_locally(ctx, recipient, std::move(composed));
    }
    co_return co_await queue_remote(ctx, message, recipient, std::move(composed));
}

}  // namespace govmail::smtpd
