#pragma once

// Sending SMS: the interface the second factor uses, an HTTP gateway and a spool file for
// development (config [sms] gateway = http | spool | off).
// - HTTP: POST {"to": "01012345678", "text": "..."} as application/json to the configured
//   http:// or https:// URL (https checked against the system's CAs and the host name),
//   optionally with an Authorization header. Asynchronous on the caller's executor (never
//   blocks an io thread); each attempt must finish within the timeout (connect, TLS,
//   request, response; name resolution is the resolver's own), and a failed attempt (no
//   connection, timeout, a status other than 2xx) is retried `retries` more times after a
//   short, growing pause. Only the status of the answer is read (its header, up to 16 KiB).
// - Spool: one JSON line per message appended to spool_dir/sms.jsonl (directory 0700, file
//   0600), with the time it was spooled.
// The text carries a login code: it is never logged, and failures are logged without it.

#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/config.hpp"

namespace govmail::auth {

struct SmsMessage {
    std::string to;  // the number, digits with an optional leading '+'
    std::string text;
};

class SmsGateway {
public:
    virtual ~SmsGateway() = default;
    // True once the gateway accepted the message.
    virtual boost::asio::awaitable<bool> send(SmsMessage message) = 0;
};

// The gateway CONFIG names; null for `off`. Throws std::runtime_error for a malformed URL.
std::unique_ptr<SmsGateway> make_sms_gateway(const SmsConfig& config);

// The JSON body both gateways write: {"to": ..., "text": ...}.
std::string sms_json(const SmsMessage& message);

struct HttpUrl {
    bool tls = false;
    std::string host;    // a name, IPv4 address or IPv6 address without brackets
    std::string port;    // "80"/"443" when the URL gives none
    std::string target;  // path and query, "/" when empty

    friend bool operator==(const HttpUrl&, const HttpUrl&) = default;
};

// "http://host[:port][/path]" or "https://..."; nothing for anything else (user info,
// fragments, bad ports and control characters included).
std::optional<HttpUrl> parse_http_url(std::string_view url);

class SpoolSmsGateway final : public SmsGateway {
public:
    explicit SpoolSmsGateway(std::filesystem::path dir) : dir_(std::move(dir)) {}
    boost::asio::awaitable<bool> send(SmsMessage message) override;

private:
    std::filesystem::path dir_;
};

class HttpSmsGateway final : public SmsGateway {
public:
    // Throws std::runtime_error when CONFIG.url is not an http(s) URL.
    explicit HttpSmsGateway(const SmsConfig& config);
    ~HttpSmsGateway() override;
    boost::asio::awaitable<bool> send(SmsMessage message) override;

private:
    struct Tls;
    // One attempt; an empty string on success, else what went wrong (for the log).
    boost::asio::awaitable<std::string> post(const std::string& body);

    HttpUrl url_;
    std::string authorization_;
    std::chrono::milliseconds timeout_;
    std::uint32_t retries_;
    std::unique_ptr<Tls> tls_;  // for https
};

}  // namespace govmail::auth
