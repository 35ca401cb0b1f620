// POST /checkv2 to rspamd (filter/rspamd_client.hpp).

#include "filter/rspamd_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>
#include <optional>
#include <stdexcept>

#include "auth/sms_gateway.hpp"

namespace govmail::filter {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kMaxAnswerHeaderBytes = 16 * 1024;

using Request = http::request<http::span_body<const char>>;

// The answer's body, or why there is none.
struct Answer {
    std::optional<std::string> body;
    std::string failure;
    bool keep_alive = false;  // the connection may carry the next scan
};

// Sends REQUEST over STREAM and reads the answer.
awaitable<Answer> exchange(beast::tcp_stream& stream, Request& request) {
    auto [write_error, written] = co_await http::async_write(stream, request, kTuple);
    if (write_error) {
        co_return Answer{std::nullopt, "sending the message: " + write_error.message()};
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(kMaxAnswerHeaderBytes);
    parser.body_limit(kMaxAnswerBytes);
    auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (read_error) {
        co_return Answer{std::nullopt, "reading the answer: " + read_error.message()};
    }
    const auto& answer = parser.get();
    if (answer.result() != http::status::ok) {
        co_return Answer{std::nullopt, "HTTP status " + std::to_string(answer.result_int())};
    }
    co_return Answer{answer.body(), "", answer.keep_alive() && buffer.size() == 0};
}

}  // namespace

RspamdClient::RspamdClient(asio::any_io_executor executor, const FilterConfig& config)
    : executor_(std::move(executor)),
      timeout_(config.timeout),
      max_idle_(config.max_idle_connections) {
    const auto url = auth::parse_http_url(config.url());
    if (!url || url->tls) {
        throw std::runtime_error(
            "config: filter.rspamd_url '" + config.url() + "' is not an http:// URL"
        );
    }
    host_ = url->host;
    port_ = url->port;
    target_ = url->target;
    if (target_.ends_with('/')) {
        target_.pop_back();
    }
    target_ += "/checkv2";
}

awaitable<boost::system::result<std::unique_ptr<beast::tcp_stream>, std::string>>
RspamdClient::connect(Deadline deadline) {
    if (!idle_.empty()) {
        auto stream = std::move(idle_.back());
        idle_.pop_back();
        stream->expires_at(deadline);
        co_return stream;
    }
    asio::ip::tcp::resolver resolver(executor_);
    auto [resolve_error, endpoints] = co_await resolver.async_resolve(host_, port_, kTuple);
    if (resolve_error) {
        co_return "resolving " + host_ + ": " + resolve_error.message();
    }
    auto stream = std::make_unique<beast::tcp_stream>(executor_);
    stream->expires_at(deadline);
    auto [connect_error, endpoint] = co_await stream->async_connect(endpoints, kTuple);
    if (connect_error) {
        co_return "connecting to " + host_ + ":" + port_ + ": " + connect_error.message();
    }
    co_return stream;
}

void RspamdClient::keep(std::unique_ptr<beast::tcp_stream> stream) {
    if (idle_.size() < max_idle_) {
        stream->expires_never();
        idle_.push_back(std::move(stream));
    }
}

awaitable<ScanResult> RspamdClient::check(const ScanRequest& scan) {
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    Request request{http::verb::post, target_, 11};
    request.set(http::field::host, host_);
    request.set(http::field::user_agent, "govmail");
    for (const auto& [name, value] : scan_fields(scan)) {
        request.insert(name, value);  // not set(): Rcpt comes once per recipient
    }
    request.body() = boost::span<const char>(scan.message.data(), scan.message.size());
    request.prepare_payload();
    request.keep_alive(true);
    // A kept-alive connection rspamd has closed meanwhile fails at once: the scan is then
    // sent again once, on a new connection.
    for (int attempt = 0;; ++attempt) {
        const bool reused = !idle_.empty();
        auto stream = co_await connect(deadline);
        if (!stream) {
            co_return stream.error();
        }
        auto answer = co_await exchange(**stream, request);
        if (!answer.body) {
            if (reused && attempt == 0 && std::chrono::steady_clock::now() < deadline) {
                continue;
            }
            co_return answer.failure;
        }
        if (answer.keep_alive) {
            keep(std::move(*stream));
        }
        auto verdict = parse_verdict(*answer.body);
        if (!verdict) {
            co_return "the answer is not a verdict: " + answer.body->substr(0, 100);
        }
        co_return std::move(*verdict);
    }
}

}  // namespace govmail::filter
