#pragma once

// The outbound SMTP client (RFC 5321) for one connection: greeting, EHLO (HELO as fallback),
// STARTTLS per policy (RFC 3207), then mail transactions with SIZE (RFC 1870), 8BITMIME,
// SMTPUTF8 (RFC 6531) and DSN parameters (RFC 3461) where the server offers them, the
// commands pipelined when it offers PIPELINING (RFC 2920), and QUIT. Every step has its
// RFC 5321 4.5.3.2 timeout, scaled by configuration.
//
// Talks to remote servers, which are untrusted: replies are read with bounded buffers and a
// misbehaving server only fails its own delivery.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.hpp"
#include "smtpd/queue/client_stream.hpp"
#include "smtpd/queue/ehlo_extensions.hpp"
#include "smtpd/queue/reply_parser.hpp"
#include "smtpd/queue/retry_policy.hpp"

namespace govmail::smtpd {

// RFC 5321 4.5.3.2, multiplied by percent/100.
struct ClientTimeouts {
    std::chrono::milliseconds connect{30'000};
    std::chrono::milliseconds greeting{300'000};
    std::chrono::milliseconds command{300'000};  // EHLO, STARTTLS, MAIL, RCPT, RSET, QUIT
    std::chrono::milliseconds data_initiation{120'000};
    std::chrono::milliseconds data_block{180'000};  // per MiB of message, at least one
    std::chrono::milliseconds data_termination{600'000};

    static ClientTimeouts scaled(std::uint32_t percent, std::chrono::seconds connect);
};

struct ClientOptions {
    std::string helo_name;  // our host name
    OutboundTls tls = OutboundTls::Opportunistic;
    boost::asio::ssl::context* tls_context = nullptr;
    ClientTimeouts timeouts;
};

struct EnvelopeRecipient {
    std::string address;
    std::string orcpt;   // "type;address" or empty
    std::string notify;  // "NEVER" or comma list, as stored
};

struct Envelope {
    std::string sender;  // "" for the null sender
    std::string envid;   // "" for none
    bool return_full = true;
    std::vector<EnvelopeRecipient> recipients;
};

// What the server said about one recipient in this attempt.
struct RecipientReply {
    AttemptOutcome outcome = AttemptOutcome::Transient;
    std::string status;  // RFC 3463, from the reply or implied by its class
    std::string reply;   // the server's reply on one line, or the local reason
};

class SmtpClient {
public:
    SmtpClient(
        boost::asio::any_io_executor ex,
        const ClientOptions& options,
        ClientStream::Clock::time_point session_deadline
    );

    // Connects to HOST:PORT and gets ready for mail (greeting, EHLO, STARTTLS and EHLO
    // again). Returns the reason it failed (every failure here is temporary: the caller tries
    // the next host), or nullopt.
    boost::asio::awaitable<std::optional<std::string>> open(std::string host, std::uint16_t port);

    // One mail transaction: a reply per recipient of ENVELOPE, in order. DATA is the
    // message already encoded (encode_data); SIZE is its stored size.
    boost::asio::awaitable<std::vector<RecipientReply>> send(
        const Envelope& envelope, std::string_view data, std::size_t size
    );

    // QUIT and close; failures do not matter any more.
    boost::asio::awaitable<void> quit();

    const std::string& host() const { return host_; }

private:
    // The next reply, or nullopt (failure_ says why) on I/O error, timeout or garbage.
    boost::asio::awaitable<std::optional<smtp::Reply>> read_reply(std::chrono::milliseconds timeout
    );
    boost::asio::awaitable<bool> write(std::string_view data, std::chrono::milliseconds timeout);
    // LINE by value: g++ 12 may destroy a temporary argument before the coroutine reads it.
    boost::asio::awaitable<std::optional<smtp::Reply>> command(
        std::string line, std::chrono::milliseconds timeout
    );
    boost::asio::awaitable<std::optional<std::string>> greet();
    boost::asio::awaitable<std::optional<std::string>> hello();
    boost::asio::awaitable<std::optional<std::string>> start_tls();
    boost::asio::awaitable<std::vector<RecipientReply>> transaction(
        const Envelope& envelope, std::string_view data, std::size_t size
    );

    // The reply every recipient gets when the session failed before their own reply.
    RecipientReply lost(std::string_view stage) const;

    const ClientOptions& options_;
    ClientStream stream_;
    smtp::ReplyParser parser_;
    std::string input_;
    std::string host_;
    std::string failure_;
    smtp::EhloExtensions extensions_;
};

// The outcome and status a reply implies (2xx accepted, 4xx temporary, 5xx permanent).
RecipientReply recipient_reply(const smtp::Reply& reply);

// RFC 3461 section 4 xtext.
std::string encode_xtext(std::string_view text);

// The MAIL FROM and RCPT TO command lines (with CRLF) for ENVELOPE on a server offering
// EXTENSIONS.
std::string mail_command(
    const Envelope& envelope,
    std::size_t size,
    bool eight_bit,
    const smtp::EhloExtensions& extensions
);
std::string rcpt_command(
    const EnvelopeRecipient& recipient, const smtp::EhloExtensions& extensions
);

}  // namespace govmail::smtpd
