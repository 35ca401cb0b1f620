// The verdict to delivery mapping (smtpd/lib/scan_decision.hpp).

#include "smtpd/lib/scan_decision.hpp"

#include "filter/abuse_symbols.hpp"
#include "smtpd/lib/autoreply.hpp"

namespace govmail::smtpd {
namespace {

// rspamd's message as a one-line reply text: printable ASCII only, bounded.
std::string reply_text(std::string_view message, std::string_view fallback) {
    std::string out;
    for (const char c : message) {
        if (out.size() == kMaxRefusalText) {
            break;
        }
        if (c >= 0x20 && c < 0x7f) {
            out += c;
        }
    }
    return out.empty() ? std::string(fallback) : out;
}

ScanDecision refusal(int code, std::string enhanced, std::string text) {
    ScanDecision decision;
    decision.code = code;
    decision.enhanced = std::move(enhanced);
    decision.text = std::move(text);
    return decision;
}

}  // namespace

ScanDecision decide_scan(
    const FilterConfig& config,
    const filter::ScanResult& result,
    const filter::ResultContext& context
) {
    if (!result) {
        if (config.on_timeout == FilterTimeout::Tempfail) {
            return refusal(451, "4.7.1", "Message not checked, try again later");
        }
        ScanDecision accepted;
        accepted.fields =
            filter::authentication_results(context, nullptr) + std::string(filter::kUncheckedField);
        return accepted;
    }
    const auto& verdict = *result;
    switch (verdict.action) {
        case filter::Action::Reject:
            if (verdict.symbol(filter::kVirusSymbol) != nullptr) {
                return refusal(
                    554, "5.7.1", reply_text(verdict.smtp_message, "Message refused: virus found")
                );
            }
            return refusal(
                550, "5.7.1", reply_text(verdict.smtp_message, "Message refused as spam")
            );
        case filter::Action::SoftReject:
        case filter::Action::Greylist:
            return refusal(451, "4.7.1", reply_text(verdict.smtp_message, "Try again later"));
        case filter::Action::AddHeader:
        case filter::Action::RewriteSubject:
        case filter::Action::NoAction:
            break;
    }
    ScanDecision accepted;
    accepted.junk = verdict.action != filter::Action::NoAction;
    accepted.fields = filter::authentication_results(context, &verdict) +
                      filter::spam_fields(verdict, accepted.junk);
    if (verdict.action == filter::Action::RewriteSubject && verdict.subject) {
        accepted.subject_field = "Subject: " + autoreply::header_text(*verdict.subject) + "\r\n";
    }
    return accepted;
}

}  // namespace govmail::smtpd
