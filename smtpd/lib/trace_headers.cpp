#include "smtpd/lib/trace_headers.hpp"

#include <ctime>

namespace govmail::smtpd {
namespace {

// HELO names are client input: keep printable ASCII that cannot break the header.
std::string sanitise(const std::string& text) {
    std::string out;
    for (const char c : text.substr(0, 255)) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u > 0x20 && u < 0x7f && c != '(' && c != ')' && c != ';' ? c : '?');
    }
    return out;
}

}  // namespace

std::string rfc5322_date(std::int64_t unix_time) {
    const std::time_t t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char out[64];
    const auto length = std::strftime(out, sizeof out, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return std::string(out, length);
}

std::string protocol_keyword(bool esmtp, bool tls, bool authenticated, bool utf8) {
    if (!esmtp) {
        return "SMTP";
    }
    std::string out = utf8 ? "UTF8SMTP" : "ESMTP";
    if (tls) {
        out += "S";
    }
    if (authenticated) {
        out += "A";
    }
    return out;
}

std::string received_header(const ReceivedInfo& info) {
    std::string out = "Received: from " + sanitise(info.helo) + " ([" + info.client_ip + "])\r\n";
    out += "\tby " + info.by_host + " (govmail) with " + info.protocol;
    if (!info.tls.empty()) {
        out += "\r\n\t(" + info.tls + ")";
    }
    out += "\r\n\tid " + info.queue_id;
    if (!info.for_recipient.empty()) {
        out += "\r\n\tfor <" + info.for_recipient + ">";
    }
    out += ";\r\n\t" + rfc5322_date(info.unix_time) + "\r\n";
    return out;
}

std::string return_path_header(const std::string& sender) {
    return "Return-Path: <" + sender + ">\r\n";
}

}  // namespace govmail::smtpd
