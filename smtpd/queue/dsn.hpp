#pragma once

// Delivery status notifications (RFC 3464, RFC 3462 multipart/report): the bounce a sender
// gets when a recipient failed, and the success report asked for with NOTIFY=SUCCESS. The
// human-readable part is in English and Korean. The report travels from MAILER-DAEMON with
// the null sender, so it can never cause another report.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::smtpd {

enum class DsnAction { Failed, Delivered };

struct DsnRecipient {
    std::string final_recipient;     // the address tried
    std::string original_recipient;  // ORCPT as "type;address", or empty
    DsnAction action = DsnAction::Failed;
    std::string status;      // RFC 3463, e.g. "5.1.1"
    std::string remote_mta;  // the host that answered, or empty
    std::string diagnostic;  // the remote reply ("550 5.1.1 ..."), or empty
};

struct DsnReport {
    std::string reporting_mta;  // our host name
    std::string sender;         // the original envelope sender, the report's recipient
    std::string envid;          // ORIGINAL-ENVELOPE-ID, or empty
    std::int64_t arrival_date = 0;
    std::int64_t date = 0;
    std::string unique;                    // random token for the Message-ID and the MIME boundary
    bool return_full = true;               // RET=FULL: the whole message, else its header only
    std::string_view original;             // the message as it was sent (no Return-Path)
    std::vector<DsnRecipient> recipients;  // all with the same action
};

// The complete report message, CRLF line ends.
std::string compose_dsn(const DsnReport& report);

}  // namespace govmail::smtpd
