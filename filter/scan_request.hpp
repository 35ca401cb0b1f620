#pragma once

// What govmail tells rspamd about a message besides its bytes: the envelope and the
// connection, as the HTTP header fields of rspamd's protocol (From, Rcpt once per recipient,
// Ip, Helo, Hostname, User, Queue-Id, TLS-Version, TLS-Cipher). Pure.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace govmail::filter {

struct ScanRequest {
    std::string_view message;  // the message as it will be stored, trace fields included
    std::string mail_from;     // the envelope sender, "" for the null sender
    std::vector<std::string> recipients;
    std::string client_ip;
    std::string helo;
    std::string client_hostname;  // the client's verified name; empty: rspamd looks it up
    std::string user;             // the authenticated account; empty: none
    std::string queue_id;
    std::string tls;  // "TLSv1.3 TLS_AES_256_GCM_SHA384" as the session describes it; empty: none
};

using HeaderFields = std::vector<std::pair<std::string, std::string>>;

// The request's header fields, in rspamd's names. Values lose any control character, so
// no value can end the field early.
HeaderFields scan_fields(const ScanRequest& request);

}  // namespace govmail::filter
