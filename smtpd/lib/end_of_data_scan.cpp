// The end-of-data scan of every message, MX and submission alike, before anything is stored:
// rspamd's verdict (filter/) becomes a refusal or the fields and mailbox of the delivery
// (smtpd/lib/scan_decision.hpp). Forged Authentication-Results in govmail's name and spam
// fields that came with the message are removed first. A refusal for spam (mail.reject), for
// a virus (mail.virus) and one for a sender over its rate limit (mail.ratelimit; both
// launcher/rspamd_abuse_config.hpp) is audited. The DKIM-Signature rspamd made for submitted
// mail goes on top.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/logging.hpp"
#include "filter/abuse_symbols.hpp"
#include "filter/headers.hpp"
#include "filter/signature_fields.hpp"
#include "smtpd/lib/scan_decision.hpp"
#include "smtpd/lib/session.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;

namespace {

std::string audit_detail(
    const std::string& queue_id, const std::string& sender, const filter::Verdict& verdict
) {
    return fmt::format(
        "queue id {}, from <{}>, score {:.2f}, action {}", queue_id, printable(sender),
        verdict.score, filter::action_name(verdict.action)
    );
}

// The audit action of a refusal, or nullopt for one nobody audits (greylisting, tempfail).
std::optional<std::string> audited_action(
    const ScanDecision& decision, const filter::Verdict& verdict
) {
    if (verdict.symbol(filter::kRatelimitedSymbol) != nullptr) {
        return "mail.ratelimit";
    }
    if (verdict.symbol(filter::kVirusSymbol) != nullptr) {
        return "mail.virus";
    }
    if (decision.code == 550) {
        return "mail.reject";
    }
    return std::nullopt;
}

}  // namespace

awaitable<std::optional<Session::Scanned>> Session::scan_message(
    std::string message, const std::string& queue_id
) {
    if (ctx_.scanner == nullptr) {
        co_return Scanned{std::move(message), false};
    }
    const auto& config = ctx_.config.filter;
    const auto& authserv_id =
        config.authserv_id.empty() ? ctx_.config.hostname : config.authserv_id;
    auto cleaned = filter::remove_claimed_fields(message, authserv_id);
    const auto& tx = *transaction_;
    const auto peer = loop_.stream().peer_address().to_string();
    filter::ScanRequest request;
    request.message = cleaned;
    request.mail_from = tx.sender;
    for (const auto& r : tx.recipients) {
        request.recipients.push_back(r.address);
    }
    request.client_ip = peer;
    request.helo = helo_;
    request.user = account_ ? account_->address : "";
    request.queue_id = queue_id;
    request.tls = loop_.stream().tls_description();
    const auto result = co_await ctx_.scanner->check(request);
    if (!result) {
        spdlog::warn("smtp {}: {} not scanned: {}", peer, queue_id, printable(result.error()));
    }
    const filter::ResultContext context{authserv_id, tx.sender, helo_, request.user};
    const auto decision = decide_scan(config, result, context);
    if (decision.refused()) {
        spdlog::info(
            "smtp {}: {} from=<{}> refused by the filter: {} {} {}", peer, queue_id,
            printable(tx.sender), decision.code, decision.enhanced, printable(decision.text)
        );
        const auto action = result ? audited_action(decision, *result) : std::nullopt;
        if (action && ctx_.audit != nullptr) {
            storage::AuditEntry entry;
            entry.actor = account_ ? account_->address : "smtpd";
            entry.action = *action;
            entry.account = account_ ? std::optional(account_->id) : std::nullopt;
            entry.source = peer;
            entry.detail = audit_detail(queue_id, tx.sender, *result);
            if (const auto audited = co_await ctx_.audit->append(entry); !audited) {
                spdlog::error(
                    "smtp {}: {} audit of the refusal failed: {}", peer, queue_id,
                    audited.error().message()
                );
            }
        }
        reply(decision.code, decision.enhanced, decision.text);
        co_return std::nullopt;
    }
    if (decision.subject_field) {
        cleaned = filter::replace_subject(cleaned, *decision.subject_field);
    }
    // rspamd signed submitted mail of a domain with a DKIM key (launcher/rspamd_dkim_config.hpp).
    const auto signatures = result ? filter::dkim_signature_fields(*result) : std::string();
    co_return Scanned{signatures + decision.fields + cleaned, decision.junk};
}

}  // namespace govmail::smtpd
