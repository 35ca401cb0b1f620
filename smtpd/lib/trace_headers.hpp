#pragma once

// The trace fields a receiving server prepends (RFC 5321 section 4.4): Return-Path at final
// delivery and a Received line naming the client, the protocol (RFC 3848 keywords), the TLS
// session (RFC 8314 section 4.3) and the queue id.

#include <cstdint>
#include <string>

namespace govmail::smtpd {

struct ReceivedInfo {
    std::string helo;       // as the client said it
    std::string client_ip;  // the connection's peer address
    std::string by_host;    // our host name
    std::string protocol;   // SMTP, ESMTP, ESMTPS, ESMTPSA, UTF8SMTPS ...
    std::string tls;        // "TLSv1.3 TLS_AES_256_GCM_SHA384" or empty
    std::string queue_id;
    std::string for_recipient;  // only when the message has exactly one recipient
    std::int64_t unix_time = 0;
};

// "Received: from ...\r\n", folded to keep lines short; HELO text is sanitised.
std::string received_header(const ReceivedInfo& info);

// "Return-Path: <sender>\r\n" ("<>" for the null sender).
std::string return_path_header(const std::string& sender);

// RFC 3848 "with" keyword for the session's state.
std::string protocol_keyword(bool esmtp, bool tls, bool authenticated, bool utf8);

// RFC 5322 date-time in UTC, e.g. "Mon, 23 Nov 2026 06:45:35 +0000".
std::string rfc5322_date(std::int64_t unix_time);

}  // namespace govmail::smtpd
