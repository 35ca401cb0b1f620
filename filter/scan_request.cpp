// The header fields of a scan request (filter/scan_request.hpp).

#include "filter/scan_request.hpp"

namespace govmail::filter {
namespace {

std::string field_value(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte != 0x7f) {
            out += c;
        }
    }
    return out;
}

}  // namespace

HeaderFields scan_fields(const ScanRequest& request) {
    HeaderFields fields;
    const auto add = [&fields](std::string name, std::string_view value) {
        if (!value.empty()) {
            fields.emplace_back(std::move(name), field_value(value));
        }
    };
    // rspamd reads an empty From as "no envelope sender"; the null sender is written <>.
    add("From", request.mail_from.empty() ? "<>" : request.mail_from);
    for (const auto& recipient : request.recipients) {
        add("Rcpt", recipient);
    }
    add("Ip", request.client_ip);
    add("Helo", request.helo);
    add("Hostname", request.client_hostname);
    add("User", request.user);
    add("Queue-Id", request.queue_id);
    if (!request.tls.empty()) {
        const auto space = request.tls.find(' ');
        add("TLS-Version", std::string_view(request.tls).substr(0, space));
        if (space != std::string::npos) {
            add("TLS-Cipher", std::string_view(request.tls).substr(space + 1));
        }
    }
    return fields;
}

}  // namespace govmail::filter
