// POST /learnspam and /learnham to rspamd's controller (filter/learn_client.hpp).

#include "filter/learn_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>

#include "auth/sms_gateway.hpp"
#include "filter/verdict.hpp"

namespace govmail::filter {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxDetail = 200;

// 2xx: learnt (208: learnt before). 4xx: rspamd refuses the message itself, except for
// "timed out" and "too many requests", which pass.
LearnOutcome outcome_of(unsigned status) {
    if (status >= 200 && status < 300) {
        return LearnOutcome::Learnt;
    }
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
        return LearnOutcome::Refused;
    }
    return LearnOutcome::Failed;
}

}  // namespace

awaitable<LearnResult> learn(
    asio::any_io_executor executor, const FilterConfig& config, bool spam, std::string_view message
) {
    const auto url = auth::parse_http_url(config.controller());
    if (!url || url->tls) {
        co_return LearnResult{LearnOutcome::Failed, "the controller URL is not an http:// URL"};
    }
    auto target = url->target;
    if (target.ends_with('/')) {
        target.pop_back();
    }
    target += spam ? "/learnspam" : "/learnham";
    http::request<http::span_body<const char>> request{http::verb::post, target, 11};
    request.set(http::field::host, url->host);
    request.set(http::field::user_agent, "govmail");
    if (!config.controller_password.empty()) {
        request.set("Password", config.controller_password);
    }
    request.body() = boost::span<const char>(message.data(), message.size());
    request.prepare_payload();
    request.keep_alive(false);

    asio::ip::tcp::resolver resolver(executor);
    auto [resolve_error, endpoints] = co_await resolver.async_resolve(url->host, url->port, kTuple);
    if (resolve_error) {
        co_return LearnResult{LearnOutcome::Failed, "resolving: " + resolve_error.message()};
    }
    beast::tcp_stream stream(executor);
    stream.expires_after(config.timeout);
    if (auto [error, endpoint] = co_await stream.async_connect(endpoints, kTuple); error) {
        co_return LearnResult{LearnOutcome::Failed, "connecting: " + error.message()};
    }
    if (auto [error, written] = co_await http::async_write(stream, request, kTuple); error) {
        co_return LearnResult{LearnOutcome::Failed, "sending: " + error.message()};
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxAnswerBytes);
    if (auto [error, read] = co_await http::async_read(stream, buffer, parser, kTuple); error) {
        co_return LearnResult{LearnOutcome::Failed, "reading the answer: " + error.message()};
    }
    const auto& answer = parser.get();
    co_return LearnResult{
        outcome_of(answer.result_int()),
        "HTTP " + std::to_string(answer.result_int()) + " " + answer.body().substr(0, kMaxDetail)};
}

}  // namespace govmail::filter
