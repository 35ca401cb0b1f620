// MAIL, RCPT, DATA, BDAT and RSET: the mail transaction (RFC 5321 3.3, RFC 3030). When each
// command may come is the command table's to say (command_table.cpp); what each stage may carry
// is the policy's (smtpd/lib/policy.hpp: senders, relaying, recipients, header From). Local
// recipients are delivered, remote ones (submission only) queued.

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <array>
#include <set>

#include "common/ascii.hpp"
#include "common/hex.hpp"
#include "common/logging.hpp"
#include "mime/parse.hpp"
#include "smtpd/lib/autoreply.hpp"
#include "smtpd/lib/recipients.hpp"
#include "smtpd/lib/session.hpp"
#include "smtpd/lib/trace_headers.hpp"
#include "smtpd/proto/data_reader.hpp"
#include "smtpd/proto/line_ending.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;

namespace {

// The whole DATA phase must finish within this many command timeouts.
constexpr unsigned kDataTimeoutFactor = 2;

std::string new_queue_id() {
    std::array<unsigned char, 8> bytes{};
    RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
    return upper_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string notify_text(const std::optional<smtp::Notify>& notify) {
    if (!notify) {
        return "FAILURE";
    }
    std::string out;
    for (const auto& [set, name] :
         {std::pair{notify->success, "SUCCESS"}, std::pair{notify->failure, "FAILURE"},
          std::pair{notify->delay, "DELAY"}}) {
        if (set) {
            out += out.empty() ? name : std::string(",") + name;
        }
    }
    return out.empty() ? "NEVER" : out;
}

std::size_t remote_count(const std::vector<storage::OutboundEnvelope>& envelopes) {
    std::size_t count = 0;
    for (const auto& envelope : envelopes) {
        count += envelope.recipients.size();
    }
    return count;
}

}  // namespace

awaitable<Result<storage::OutboundEnvelope>> Session::forwarded_envelope(std::int64_t now) {
    const auto& tx = *transaction_;
    storage::OutboundEnvelope envelope;
    std::set<std::string> seen;
    for (const auto& r : tx.recipients) {
        for (const auto& address : r.forwards) {
            if (seen.insert(address).second) {
                envelope.recipients.push_back(storage::OutboundRecipient{
                    address, "", tx.sender.empty() ? "NEVER" : "FAILURE"});
            }
        }
    }
    if (envelope.recipients.empty()) {
        co_return envelope;
    }
    // Forwarded mail is queued as the postmaster's (smtpd/lib/recipients.hpp).
    const auto postmaster = co_await ctx_.store.find_account(ctx_.config.postmaster);
    if (!postmaster) {
        spdlog::error(
            "smtp {}: the postmaster account {} for forwarded mail: {}",
            loop_.stream().peer_address().to_string(), printable(ctx_.config.postmaster),
            postmaster.error().message()
        );
        co_return postmaster.error();
    }
    envelope.account = postmaster->id;
    envelope.sender = forward_sender(ctx_.config, tx.sender, now);
    co_return envelope;
}

template <class Reader>
awaitable<std::optional<Session::ReadResult<Reader>>> Session::read_body(
    Reader& reader, std::string& message
) {
    loop_.start_deadline(kDataTimeoutFactor);
    for (;;) {
        auto& input = loop_.input();
        std::string_view pending(input);
        auto result = reader.read(pending, message);
        input.erase(0, input.size() - pending.size());
        if (!std::holds_alternative<smtp::NeedMore>(result)) {
            co_return result;
        }
        const bool received = co_await loop_.read_more();
        if (!received) {
            quit_ = true;
            co_return std::nullopt;
        }
    }
}

awaitable<void> Session::on_mail(const smtp::MailFrom& mail) {
    const std::string sender = mail.sender ? mail.sender->to_string() : "";
    if (const auto refusal = policy::check_mail(ctx_.config, policy_client(), sender)) {
        co_await refuse(*refusal);
        co_return;
    }
    if (mail.params.size && *mail.params.size > ctx_.config.smtp.max_message_bytes) {
        reply(smtp::kMessageTooBig);
        co_return;
    }
    transaction_ = MailTransaction{sender, mail.params, {}, std::nullopt, {}};
    reply(250, "2.1.0", "Ok");
}

awaitable<void> Session::on_rcpt(const smtp::RcptTo& rcpt) {
    if (transaction_->recipients.size() >= ctx_.config.smtp.max_recipients) {
        reply(452, "4.5.3", "Too many recipients");
        co_return;
    }
    auto domain = ascii::lower(rcpt.recipient.domain);
    if (domain.empty()) {  // <Postmaster> (RFC 5321 4.5.1)
        domain = ctx_.config.local_domains.empty() ? "" : ctx_.config.local_domains.front();
    }
    Recipient recipient{rcpt.recipient.local_part + "@" + domain, {}, {}, false, rcpt.params};
    auto status = policy::RecipientStatus::Remote;
    if (ctx_.config.is_local_domain(domain)) {
        auto resolved = co_await resolve_local_recipient(
            ctx_, std::move(recipient.address), transaction_->sender
        );
        if (!resolved) {
            spdlog::error(
                "smtp {}: recipient look-up failed: {}", loop_.stream().peer_address().to_string(),
                resolved.error().message()
            );
            reply(451, "4.3.0", "Temporary lookup failure, try again later");
            co_return;
        }
        if (resolved->refusal) {
            co_await refuse(*resolved->refusal);
            co_return;
        }
        status = resolved->status;
        recipient.address = std::move(resolved->address);
        recipient.accounts = std::move(resolved->accounts);
        recipient.forwards = std::move(resolved->forwards);
        recipient.local = true;
    }
    if (const auto refusal = policy::check_rcpt(policy_client(), status)) {
        co_await refuse(*refusal);
        co_return;
    }
    transaction_->recipients.push_back(std::move(recipient));
    reply(250, "2.1.5", "Ok");
}

awaitable<void> Session::on_data(const smtp::Data&) {
    reply(354, "", "End data with <CR><LF>.<CR><LF>");
    const bool flushed = co_await loop_.flush();
    if (!flushed) {
        quit_ = true;
        co_return;
    }
    auto message = co_await read_message();
    if (message) {
        co_await store_message(std::move(*message));
    }
    reset_transaction();
}

awaitable<void> Session::on_bdat(const smtp::Bdat& chunk) {
    // The chunk's octets follow the command (RFC 3030 2), but one the message cannot take is
    // refused before a byte of it is read, and the session ends: a client announcing
    // gigabytes is not worth reading to stay in step.
    auto& transaction = *transaction_;
    if (!transaction.chunks) {
        transaction.chunks.emplace(ctx_.config.smtp.max_message_bytes);
    }
    if (!transaction.chunks->fits(chunk)) {
        reply(smtp::kMessageTooBig);
        quit_ = true;
        co_return;
    }
    transaction.chunks->start_chunk(chunk);
    const auto result = co_await read_body(*transaction.chunks, transaction.chunked_message);
    if (!result) {
        co_return;
    }
    if (const auto* error = std::get_if<smtp::Error>(&*result)) {
        reply(*error);
        if (chunk.last) {
            reset_transaction();
        }
        co_return;
    }
    if (!chunk.last) {
        reply(250, "2.0.0", std::to_string(chunk.size) + " octets received");
        co_return;
    }
    // Stored mail has CRLF line ends whichever command carried it; the limit holds after.
    auto normalized = smtp::normalize_line_ends(transaction.chunked_message);
    if (normalized.size() > ctx_.config.smtp.max_message_bytes) {
        reply(smtp::kMessageTooBig);
    } else {
        co_await store_message(std::move(normalized));
    }
    reset_transaction();
}

awaitable<void> Session::drop_chunk(const smtp::Bdat& chunk) {
    // A refused chunk is read and dropped (a reader with no room keeps nothing), so the
    // session stays in step; unless it is larger than any message may be: then it ends.
    if (chunk.size > ctx_.config.smtp.max_message_bytes) {
        quit_ = true;
        co_return;
    }
    smtp::BdatReader refused(0);
    std::string dropped;
    refused.start_chunk(chunk);
    co_await read_body(refused, dropped);
}

awaitable<void> Session::on_rset(const smtp::Rset&) {
    reset_transaction();
    reply(250, "2.0.0", "Ok");
    co_return;
}

awaitable<std::optional<std::string>> Session::read_message() {
    smtp::DataReader reader(smtp::DataOptions{
        ctx_.config.smtp.max_message_bytes, smtp::BareLineEnd::Normalize});
    std::string message;
    const auto result = co_await read_body(reader, message);
    if (!result) {
        co_return std::nullopt;
    }
    if (const auto* error = std::get_if<smtp::Error>(&*result)) {
        reply(*error);
        co_return std::nullopt;
    }
    co_return message;
}

awaitable<void> Session::store_message(std::string data) {
    if (const auto refusal = policy::check_message(ctx_.config, policy_client(), data)) {
        co_await refuse(*refusal);
        co_return;
    }
    const auto& tx = *transaction_;
    const auto now = ctx_.now();
    const auto queue_id = new_queue_id();
    ReceivedInfo info;
    info.helo = helo_;
    info.client_ip = loop_.stream().peer_address().to_string();
    info.by_host = ctx_.config.hostname;
    info.protocol =
        protocol_keyword(esmtp_, tls_active(), account_.has_value(), tx.params.smtputf8);
    info.tls = loop_.stream().tls_description();
    info.queue_id = queue_id;
    info.for_recipient = tx.recipients.size() == 1 ? tx.recipients.front().address : "";
    info.unix_time = now;
    auto scanned = co_await scan_message(received_header(info) + data, queue_id);
    if (!scanned) {
        co_return;
    }
    const std::string message = return_path_header(tx.sender) + scanned->message;
    const std::string mailbox(scanned->junk ? storage::kJunkMailbox : "INBOX");

    std::vector<storage::DeliveryTarget> targets;
    std::set<storage::AccountId> seen;
    storage::OutboundEnvelope outbound;
    for (const auto& r : tx.recipients) {
        if (r.local) {
            for (const auto account : r.accounts) {
                if (seen.insert(account).second) {
                    targets.push_back(storage::DeliveryTarget{account, mailbox});
                }
            }
        } else {
            outbound.recipients.push_back(storage::OutboundRecipient{
                r.address,
                r.params.orcpt ? r.params.orcpt->address_type + ";" + r.params.orcpt->address : "",
                notify_text(r.params.notify)});
        }
    }
    std::vector<storage::OutboundEnvelope> envelopes;
    if (!outbound.recipients.empty()) {
        outbound.account = account_->id;
        outbound.sender = tx.sender;
        outbound.envid = tx.params.envid.value_or("");
        outbound.return_full = tx.params.ret != smtp::DsnReturn::Headers;
        envelopes.push_back(std::move(outbound));
    }
    auto forwarded = co_await forwarded_envelope(now);
    if (!forwarded) {
        reply(451, "4.3.0", "Temporary failure storing the message, try again later");
        co_return;
    }
    if (!forwarded->recipients.empty()) {
        envelopes.push_back(std::move(*forwarded));
    }
    const auto parsed = mime::parse(message);
    const storage::IncomingMessage incoming{message, parsed, now, {}};
    const auto answered = autoreply::read_incoming(tx.sender, message, parsed);
    storage::AutoReplyRequest away;
    // Spam gets no away reply: its sender is most likely forged (backscatter).
    const bool may_answer =
        !targets.empty() && !scanned->junk && !autoreply::message_exclusion(answered);
    if (may_answer) {
        away.sender = tx.sender;
        away.sender_is_local = policy::in_local_domain(ctx_.config, tx.sender);
        away.compose = [&answered, &config = ctx_.config, sender_is_local = away.sender_is_local,
                        now](const storage::AutoReplySetting& setting
                       ) -> std::optional<std::string> {
            autoreply::ReplyContext context;
            context.today = autoreply::local_date(now);
            context.sender_in_organisation = sender_is_local;
            context.hostname = config.hostname;
            context.now = now;
            context.unique = new_queue_id() + "." + std::to_string(setting.account);
            if (autoreply::reply_exclusion(answered, setting, context)) {
                return std::nullopt;
            }
            return autoreply::compose_reply(answered, setting, context);
        };
    }
    const auto stored =
        co_await ctx_.store.deliver(incoming, targets, envelopes, may_answer ? &away : nullptr);
    if (!stored) {
        spdlog::error(
            "smtp {}: delivery of {} failed: {}", loop_.stream().peer_address().to_string(),
            queue_id, stored.error().message()
        );
        if (stored.error() == make_error_code(storage::Errc::InDoubt)) {
            // Whether it was stored is unknown: neither 250 nor 451 would be true. Hanging up
            // leaves the client to send it again later (RFC 5321 6.1: a duplicate, not a loss).
            quit_ = true;
            co_return;
        }
        reply(451, "4.3.0", "Temporary failure storing the message, try again later");
        co_return;
    }
    spdlog::info(
        "smtp {}: {} from=<{}> size={} local={} remote={}{}",
        loop_.stream().peer_address().to_string(), queue_id, printable(tx.sender), message.size(),
        targets.size(), remote_count(envelopes), scanned->junk ? " junk" : ""
    );
    for (const auto account : away.replied) {
        spdlog::info(
            "smtp {}: {} away reply from account {} to <{}>",
            loop_.stream().peer_address().to_string(), queue_id, account, printable(tx.sender)
        );
    }
    reply(250, "2.0.0", "Ok: queued as " + queue_id);
}

}  // namespace govmail::smtpd
