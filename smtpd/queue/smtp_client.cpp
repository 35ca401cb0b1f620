// Outbound SMTP client. Replies come from remote servers: read through the bounded
// ReplyParser, logged only through printable().

#include "smtpd/queue/smtp_client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/hex.hpp"
#include "common/logging.hpp"
#include "smtpd/proto/ascii.hpp"
#include "smtpd/queue/data_encoding.hpp"

namespace govmail::smtpd {
namespace asio = boost::asio;
using asio::awaitable;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t kReadChunk = 4096;
constexpr std::size_t kBytesPerDataBlock = 1024 * 1024;
constexpr milliseconds kQuitTimeout{10'000};

bool is_ascii(std::string_view text) {
    return std::none_of(text.begin(), text.end(), smtp::ascii::is_non_ascii);
}

bool needs_smtputf8(const Envelope& envelope) {
    return !is_ascii(envelope.sender) ||
           std::any_of(
               envelope.recipients.begin(), envelope.recipients.end(),
               [](const EnvelopeRecipient& r) { return !is_ascii(r.address); }
           );
}

std::vector<RecipientReply> same_for_all(std::size_t count, const RecipientReply& reply) {
    return std::vector<RecipientReply>(count, reply);
}

}  // namespace

ClientTimeouts ClientTimeouts::scaled(std::uint32_t percent, std::chrono::seconds connect) {
    const auto scale = [percent](milliseconds rfc) {
        return std::max(milliseconds(100), rfc * percent / 100);
    };
    const ClientTimeouts rfc;
    return ClientTimeouts{
        connect,
        scale(rfc.greeting),
        scale(rfc.command),
        scale(rfc.data_initiation),
        scale(rfc.data_block),
        scale(rfc.data_termination)};
}

RecipientReply recipient_reply(const smtp::Reply& reply) {
    const std::string enhanced = reply.enhanced();
    switch (reply.kind()) {
        case 2:
            return {
                AttemptOutcome::Accepted, enhanced.empty() ? "2.0.0" : enhanced, reply.summary()};
        case 5:
            return {
                AttemptOutcome::Permanent, enhanced.empty() ? "5.0.0" : enhanced, reply.summary()};
        default:
            return {
                AttemptOutcome::Transient, enhanced.empty() ? "4.0.0" : enhanced, reply.summary()};
    }
}

std::string encode_xtext(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 33 && u <= 126 && c != '+' && c != '=') {
            out.push_back(c);
        } else {
            out.push_back('+');
            out.push_back(kUpperHexDigits[u >> 4]);
            out.push_back(kUpperHexDigits[u & 0xf]);
        }
    }
    return out;
}

std::string mail_command(
    const Envelope& envelope,
    std::size_t size,
    bool eight_bit,
    const smtp::EhloExtensions& extensions
) {
    std::string line = "MAIL FROM:<" + envelope.sender + ">";
    if (extensions.size) {
        line += " SIZE=" + std::to_string(size);
    }
    if (eight_bit && extensions.eight_bit_mime) {
        line += " BODY=8BITMIME";
    }
    if (extensions.smtputf8 && needs_smtputf8(envelope)) {
        line += " SMTPUTF8";
    }
    if (extensions.dsn) {
        line += envelope.return_full ? " RET=FULL" : " RET=HDRS";
        if (!envelope.envid.empty()) {
            line += " ENVID=" + encode_xtext(envelope.envid);
        }
    }
    return line + "\r\n";
}

std::string rcpt_command(
    const EnvelopeRecipient& recipient, const smtp::EhloExtensions& extensions
) {
    std::string line = "RCPT TO:<" + recipient.address + ">";
    if (extensions.dsn) {
        line += " NOTIFY=" + recipient.notify;
        const auto semicolon = recipient.orcpt.find(';');
        if (semicolon != std::string::npos) {
            line += " ORCPT=" + recipient.orcpt.substr(0, semicolon) + ";" +
                    encode_xtext(std::string_view(recipient.orcpt).substr(semicolon + 1));
        }
    }
    return line + "\r\n";
}

SmtpClient::SmtpClient(
    asio::any_io_executor ex,
    const ClientOptions& options,
    ClientStream::Clock::time_point session_deadline
)
    : options_(options), stream_(std::move(ex), session_deadline) {}

awaitable<std::optional<std::string>> SmtpClient::open(std::string host, std::uint16_t port) {
    host_ = std::move(host);
    const auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(executor);
    const std::string service = std::to_string(port);
    auto [resolve_error, endpoints] =
        co_await resolver.async_resolve(host_, service, asio::as_tuple(asio::use_awaitable));
    if (resolve_error) {
        co_return "cannot find the address of " + host_ + ": " + resolve_error.message();
    }
    const auto connect_error = co_await stream_.connect(endpoints, options_.timeouts.connect);
    if (connect_error) {
        co_return "cannot connect to " + host_ + " port " + std::to_string(port) + ": " +
            connect_error.message();
    }
    auto failed = co_await greet();
    if (failed) {
        co_return failed;
    }
    const bool required = options_.tls != OutboundTls::Opportunistic;
    if (!extensions_.starttls) {
        if (required) {
            co_return host_ + " does not offer STARTTLS, which the configuration requires";
        }
        co_return std::nullopt;
    }
    co_return co_await start_tls();
}

awaitable<std::optional<std::string>> SmtpClient::greet() {
    const auto greeting = co_await read_reply(options_.timeouts.greeting);
    if (!greeting) {
        co_return host_ + " gave no greeting: " + failure_;
    }
    if (greeting->code != 220) {
        co_return host_ + " refused the session: " + greeting->summary();
    }
    co_return co_await hello();
}

awaitable<std::optional<std::string>> SmtpClient::hello() {
    auto reply = co_await command("EHLO " + options_.helo_name + "\r\n", options_.timeouts.command);
    if (reply && reply->kind() == 5) {  // an old server without ESMTP (RFC 5321 3.2)
        reply = co_await command("HELO " + options_.helo_name + "\r\n", options_.timeouts.command);
    }
    if (!reply) {
        co_return "lost connection with " + host_ + " after EHLO: " + failure_;
    }
    if (reply->kind() != 2) {
        co_return host_ + " refused EHLO: " + reply->summary();
    }
    extensions_ = smtp::parse_ehlo_extensions(*reply);
    co_return std::nullopt;
}

awaitable<std::optional<std::string>> SmtpClient::start_tls() {
    const auto reply = co_await command("STARTTLS\r\n", options_.timeouts.command);
    if (!reply || reply->code != 220) {
        co_return host_ + " refused STARTTLS: " + (reply ? reply->summary() : failure_);
    }
    input_.clear();  // RFC 3207 section 6: nothing read before TLS may be used after it
    const auto ec = co_await stream_.start_tls(
        *options_.tls_context, host_, options_.tls == OutboundTls::Verify, options_.timeouts.command
    );
    if (ec) {
        co_return "TLS handshake with " + host_ + " failed: " + ec.message();
    }
    parser_ = smtp::ReplyParser();
    co_return co_await hello();
}

awaitable<std::vector<RecipientReply>> SmtpClient::send(
    const Envelope& envelope, std::string_view data, std::size_t size
) {
    const auto count = envelope.recipients.size();
    if (extensions_.size && *extensions_.size > 0 && size > *extensions_.size) {
        co_return same_for_all(
            count,
            {AttemptOutcome::Permanent, "5.3.4", "message size exceeds the limit of " + host_}
        );
    }
    if (!extensions_.smtputf8 && needs_smtputf8(envelope)) {
        co_return same_for_all(
            count, {AttemptOutcome::Permanent, "5.6.7",
                    host_ + " does not support SMTPUTF8, needed for an address"}
        );
    }
    co_return co_await transaction(envelope, data, size);
}

awaitable<std::vector<RecipientReply>> SmtpClient::transaction(
    const Envelope& envelope, std::string_view data, std::size_t size
) {
    const auto count = envelope.recipients.size();
    std::vector<std::string> lines{
        mail_command(envelope, size, smtp::has_eight_bit(data), extensions_)};
    for (const auto& r : envelope.recipients) {
        lines.push_back(rcpt_command(r, extensions_));
    }
    std::vector<smtp::Reply> replies;
    if (extensions_.pipelining) {  // RFC 2920: MAIL and RCPTs in one write, replies in order
        std::string batch;
        for (const auto& line : lines) {
            batch += line;
        }
        const bool sent = co_await write(batch, options_.timeouts.command);
        if (sent) {
            for (std::size_t i = 0; i < lines.size(); ++i) {
                auto reply = co_await read_reply(options_.timeouts.command);
                if (!reply) {
                    break;
                }
                replies.push_back(std::move(*reply));
            }
        }
    } else {
        for (const auto& line : lines) {
            auto reply = co_await command(line, options_.timeouts.command);
            if (!reply) {
                break;
            }
            replies.push_back(std::move(*reply));
            if (replies.size() == 1 && replies.front().kind() != 2) {
                break;
            }
        }
    }
    if (replies.empty()) {
        co_return same_for_all(count, lost("MAIL FROM"));
    }
    if (replies.front().kind() != 2) {
        co_return same_for_all(count, recipient_reply(replies.front()));
    }
    std::vector<RecipientReply> out;
    std::vector<std::size_t> accepted;
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(i + 1 < replies.size() ? recipient_reply(replies[i + 1]) : lost("RCPT TO"));
        if (out.back().outcome == AttemptOutcome::Accepted) {
            accepted.push_back(i);
        }
    }
    if (accepted.empty()) {
        co_return out;
    }
    std::optional<RecipientReply> final_reply;
    const auto go_ahead = co_await command("DATA\r\n", options_.timeouts.data_initiation);
    if (!go_ahead) {
        final_reply = lost("DATA");
    } else if (go_ahead->code != 354) {
        final_reply = recipient_reply(*go_ahead);
        if (final_reply->outcome == AttemptOutcome::Accepted) {
            final_reply->outcome = AttemptOutcome::Transient;  // 2xx to DATA makes no sense
        }
    } else {
        const auto blocks = static_cast<long>(1 + size / kBytesPerDataBlock);
        std::optional<smtp::Reply> done;
        const bool sent = co_await write(data, options_.timeouts.data_block * blocks);
        if (sent) {
            done = co_await read_reply(options_.timeouts.data_termination);
        }
        final_reply = done ? recipient_reply(*done) : lost("end of data");
    }
    for (const auto i : accepted) {
        out[i] = *final_reply;
    }
    co_return out;
}

awaitable<void> SmtpClient::quit() {
    const bool sent = co_await write("QUIT\r\n", kQuitTimeout);
    if (sent) {
        co_await read_reply(kQuitTimeout);
    }
    co_await stream_.close();
}

awaitable<std::optional<smtp::Reply>> SmtpClient::read_reply(milliseconds timeout) {
    for (;;) {
        std::string_view pending(input_);
        auto result = parser_.read(pending);
        input_.erase(0, input_.size() - pending.size());
        if (auto* reply = std::get_if<smtp::Reply>(&result)) {
            co_return std::move(*reply);
        }
        if (auto* malformed = std::get_if<smtp::MalformedReply>(&result)) {
            failure_ = std::string(malformed->reason);
            co_return std::nullopt;
        }
        const auto ec = co_await stream_.read_some(input_, kReadChunk, timeout);
        if (ec) {
            failure_ = ec.message();
            co_return std::nullopt;
        }
    }
}

awaitable<bool> SmtpClient::write(std::string_view data, milliseconds timeout) {
    const auto ec = co_await stream_.write(data, timeout);
    if (ec) {
        failure_ = ec.message();
    }
    co_return !ec;
}

awaitable<std::optional<smtp::Reply>> SmtpClient::command(std::string line, milliseconds timeout) {
    std::optional<smtp::Reply> reply;
    const bool sent = co_await write(line, timeout);
    if (sent) {
        reply = co_await read_reply(timeout);
    }
    co_return reply;
}

RecipientReply SmtpClient::lost(std::string_view stage) const {
    return {
        AttemptOutcome::Transient, "4.4.2",
        "lost connection with " + host_ + " while sending " + std::string(stage) + ": " + failure_};
}

}  // namespace govmail::smtpd
