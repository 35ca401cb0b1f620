// DSN composition. Remote replies and addresses are untrusted text: they reach header-like
// fields only through printable(), which cannot produce a line end.

#include "smtpd/queue/dsn.hpp"

#include <algorithm>

#include "common/base64.hpp"
#include "common/logging.hpp"
#include "common/utf8.hpp"
#include "mime/header.hpp"
#include "smtpd/lib/trace_headers.hpp"

namespace govmail::smtpd {

namespace {

constexpr std::size_t kMaxFieldText = 900;  // keeps report lines under 998 octets

std::string field(std::string_view text) { return printable(text, kMaxFieldText); }

// RFC 3464 address-type "rfc822", or "utf-8" (RFC 6533) for an internationalised address.
std::string typed_address(std::string_view address) {
    return (is_ascii(address) ? "rfc822; " : "utf-8; ") + field(address);
}

bool delivered(const DsnReport& report) {
    return !report.recipients.empty() && report.recipients.front().action == DsnAction::Delivered;
}

std::string human_readable(const DsnReport& report) {
    const bool ok = delivered(report);
    std::string list;
    for (const auto& r : report.recipients) {
        list += "  <" + r.final_recipient + ">";
        if (!r.diagnostic.empty()) {
            list += ": " + field(r.diagnostic);
        }
        list += "\r\n";
    }
    std::string text = "This is the mail system at " + report.reporting_mta + ".\r\n\r\n";
    text += ok ? "Your message was delivered to the following recipients.\r\n"
               : "Your message could not be delivered to the following recipients.\r\n"
                 "The delivery report and your original message are attached.\r\n";
    text += "\r\n" + list + "\r\n";
    text += report.reporting_mta + " 메일 시스템에서 알려 드립니다.\r\n\r\n";
    text += ok ? "보내신 메일이 다음 수신자에게 전달되었습니다.\r\n"
               : "보내신 메일을 다음 수신자에게 전달하지 못했습니다.\r\n"
                 "전달 보고서와 원래 메일을 첨부합니다.\r\n";
    text += "\r\n" + list;
    return text;
}

std::string delivery_status(const DsnReport& report) {
    std::string out = "Reporting-MTA: dns; " + report.reporting_mta + "\r\n";
    if (!report.envid.empty()) {
        out += "Original-Envelope-Id: " + field(report.envid) + "\r\n";
    }
    out += "Arrival-Date: " + rfc5322_date(report.arrival_date) + "\r\n";
    for (const auto& r : report.recipients) {
        out += "\r\nFinal-Recipient: " + typed_address(r.final_recipient) + "\r\n";
        if (!r.original_recipient.empty()) {
            out += "Original-Recipient: " + field(r.original_recipient) + "\r\n";
        }
        out +=
            std::string("Action: ") + (r.action == DsnAction::Delivered ? "delivered" : "failed");
        out += "\r\nStatus: " + field(r.status) + "\r\n";
        if (!r.remote_mta.empty()) {
            out += "Remote-MTA: dns; " + field(r.remote_mta) + "\r\n";
        }
        if (!r.diagnostic.empty()) {
            out += "Diagnostic-Code: smtp; " + field(r.diagnostic) + "\r\n";
        }
    }
    return out;
}

// RFC 3461 4.3: the whole original with RET=FULL on failure; otherwise only its header.
bool returns_full(const DsnReport& report) { return report.return_full && !delivered(report); }

std::string returned_part(const DsnReport& report) {
    const bool full = returns_full(report);
    const std::string_view what = delivered(report) ? "Delivered" : "Undelivered";
    std::string part =
        full ? "Content-Type: message/rfc822\r\n" : "Content-Type: text/rfc822-headers\r\n";
    part += "Content-Description: " + std::string(what) + (full ? " message" : " message headers");
    part += "\r\n\r\n";
    const auto& original = report.original;
    part += full ? original : original.substr(0, mime::scan_header(original).body_begin);
    if (part.back() != '\n') {
        part += "\r\n";
    }
    return part;
}

std::string encoded_word(std::string_view utf8) {
    return "=?UTF-8?B?" + encode_base64(utf8) + "?=";
}

}  // namespace

std::string compose_dsn(const DsnReport& report) {
    const bool ok = delivered(report);
    const std::string boundary = report.unique + "/" + report.reporting_mta;
    const std::string subject =
        ok ? "Successful Mail Delivery Report / " + encoded_word("메일 전달 완료 보고")
           : "Undelivered Mail Returned to Sender / " + encoded_word("반송된 메일");
    std::string out;
    out += "From: Mail Delivery System <MAILER-DAEMON@" + report.reporting_mta + ">\r\n";
    out += "To: <" + field(report.sender) + ">\r\n";
    out += "Subject: " + subject + "\r\n";
    out += "Date: " + rfc5322_date(report.date) + "\r\n";
    out += "Message-ID: <" + report.unique + "@" + report.reporting_mta + ">\r\n";
    out += "Auto-Submitted: auto-replied\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: multipart/report; report-type=delivery-status;\r\n";
    out += "\tboundary=\"" + boundary + "\"\r\n";
    out += "\r\nThis is a MIME-encapsulated message.\r\n\r\n";
    out += "--" + boundary + "\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Content-Description: Notification\r\n\r\n";
    out += encode_base64_lines(human_readable(report));
    out += "\r\n--" + boundary + "\r\n";
    out += "Content-Type: message/delivery-status\r\n";
    out += "Content-Description: Delivery report\r\n\r\n";
    out += delivery_status(report);
    out += "\r\n--" + boundary + "\r\n";
    out += returned_part(report);
    out += "\r\n--" + boundary + "--\r\n";
    return out;
}

}  // namespace govmail::smtpd
