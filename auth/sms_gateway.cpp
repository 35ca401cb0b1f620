#include "auth/sms_gateway.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/names.hpp"

namespace govmail::auth {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kMaxResponseHeaderBytes = 16 * 1024;

// Writes all of TEXT to FD in one append; false on any error.
bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const auto n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// An HTTP exchange over STREAM (plain or TLS), already connected.
template <class Stream>
awaitable<std::string> exchange(Stream& stream, http::request<http::string_body>& request) {
    auto [write_error, written] = co_await http::async_write(stream, request, kTuple);
    if (write_error) {
        co_return "sending the request: " + write_error.message();
    }
    // The status line says it all: the body is not read (the connection closes), so a
    // gateway ending it without TLS close_notify or Content-Length does not matter.
    beast::flat_buffer buffer;
    http::response_parser<http::empty_body> parser;
    parser.header_limit(kMaxResponseHeaderBytes);
    auto [read_error, read] = co_await http::async_read_header(stream, buffer, parser, kTuple);
    if (read_error) {
        co_return "reading the response: " + read_error.message();
    }
    const auto status = parser.get().result_int();
    if (status < 200 || status > 299) {
        co_return "HTTP status " + std::to_string(status);
    }
    co_return std::string();
}

}  // namespace

std::string sms_json(const SmsMessage& message) {
    // Invalid UTF-8 cannot reach here (numbers are digits, texts are ours); replace rather
    // than throw all the same.
    return nlohmann::json{{"to", message.to}, {"text", message.text}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace
    );
}

std::optional<HttpUrl> parse_http_url(std::string_view url) {
    HttpUrl out;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::nullopt;
    }
    const auto scheme = fold_case(url.substr(0, scheme_end));
    if (scheme != "http" && scheme != "https") {
        return std::nullopt;
    }
    out.tls = scheme == "https";
    for (const char c : url) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || c == '#') {
            return std::nullopt;
        }
    }
    auto rest = url.substr(scheme_end + 3);
    const auto path_start = rest.find_first_of("/?");
    auto authority = rest.substr(0, path_start);
    out.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
    if (out.target.front() == '?') {
        out.target.insert(0, "/");
    }
    if (authority.empty() || authority.find('@') != std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view port;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos || close == 1) {
            return std::nullopt;
        }
        out.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return std::nullopt;
            }
            port = after.substr(1);
        }
    } else {
        const auto colon = authority.find(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
        }
        if (out.host.empty()) {
            return std::nullopt;
        }
    }
    if (port.empty()) {
        out.port = out.tls ? "443" : "80";
        return out;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
        return std::nullopt;
    }
    out.port = std::to_string(value);
    return out;
}

std::unique_ptr<SmsGateway> make_sms_gateway(const SmsConfig& config) {
    switch (config.gateway) {
        case SmsGatewayKind::Off:
            return nullptr;
        case SmsGatewayKind::Spool:
            return std::make_unique<SpoolSmsGateway>(config.spool_dir);
        case SmsGatewayKind::Http:
            return std::make_unique<HttpSmsGateway>(config);
    }
    return nullptr;
}

awaitable<bool> SpoolSmsGateway::send(SmsMessage message) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) {
        spdlog::error("sms: spool directory {} cannot be made: {}", dir_.string(), ec.message());
        co_return false;
    }
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ec);
    auto line = nlohmann::json{
        {"to", message.to},
        {"text", message.text},
        {"spooled_at",
         static_cast<std::int64_t>(std::time(nullptr)
         )}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += '\n';
    const auto file = dir_ / "sms.jsonl";
    const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        spdlog::error(
            "sms: spool file {} cannot be opened: {}", file.string(), std::strerror(errno)
        );
        co_return false;
    }
    const bool written = write_all(fd, line);
    const int closed = ::close(fd);
    if (!written || closed != 0) {
        spdlog::error("sms: spool file {} not written", file.string());
        co_return false;
    }
    co_return true;
}

struct HttpSmsGateway::Tls {
    asio::ssl::context context{asio::ssl::context::tls_client};
};

HttpSmsGateway::HttpSmsGateway(const SmsConfig& config)
    : authorization_(config.authorization), timeout_(config.timeout), retries_(config.retries) {
    auto url = parse_http_url(config.url);
    if (!url) {
        throw std::runtime_error("config: sms.url '" + config.url + "' is not an http(s) URL");
    }
    url_ = std::move(*url);
    if (url_.tls) {
        tls_ = std::make_unique<Tls>();
        auto* ctx = tls_->context.native_handle();
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
        tls_->context.set_default_verify_paths();
        tls_->context.set_verify_mode(asio::ssl::verify_peer);
    }
}

HttpSmsGateway::~HttpSmsGateway() = default;

awaitable<bool> HttpSmsGateway::send(SmsMessage message) {
    const auto body = sms_json(message);
    auto pause = std::chrono::milliseconds(200);
    for (std::uint32_t attempt = 0; attempt <= retries_; ++attempt) {
        if (attempt > 0) {
            asio::steady_timer timer(co_await asio::this_coro::executor, pause);
            co_await timer.async_wait(kTuple);
            pause *= 2;
        }
        std::string problem;
        try {
            problem = co_await post(body);
        } catch (const std::exception& e) {
            problem = e.what();
        }
        if (problem.empty()) {
            co_return true;
        }
        spdlog::warn(
            "sms: gateway {}:{} attempt {} of {} failed: {}", url_.host, url_.port, attempt + 1,
            retries_ + 1, problem
        );
    }
    co_return false;
}

awaitable<std::string> HttpSmsGateway::post(const std::string& body) {
    auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(executor);
    auto [resolve_error, endpoints] = co_await resolver.async_resolve(url_.host, url_.port, kTuple);
    if (resolve_error) {
        co_return "resolving " + url_.host + ": " + resolve_error.message();
    }
    http::request<http::string_body> request{http::verb::post, url_.target, 11};
    const bool default_port = url_.port == (url_.tls ? "443" : "80");
    const auto host = url_.host.find(':') == std::string::npos ? url_.host : "[" + url_.host + "]";
    request.set(http::field::host, default_port ? host : host + ":" + url_.port);
    request.set(http::field::user_agent, "govmail");
    request.set(http::field::content_type, "application/json");
    request.set(http::field::connection, "close");
    if (!authorization_.empty()) {
        request.set(http::field::authorization, authorization_);
    }
    request.body() = body;
    request.prepare_payload();

    beast::tcp_stream tcp(executor);
    tcp.expires_after(timeout_);  // one deadline for everything below
    auto [connect_error, endpoint] = co_await tcp.async_connect(endpoints, kTuple);
    if (connect_error) {
        co_return "connecting: " + connect_error.message();
    }
    if (!tls_) {
        auto problem = co_await exchange(tcp, request);
        beast::error_code ignored;
        tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        co_return problem;
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), tls_->context);
    if (SSL_set_tlsext_host_name(stream.native_handle(), url_.host.c_str()) != 1) {
        co_return "TLS: the host name cannot be sent";
    }
    stream.set_verify_callback(asio::ssl::host_name_verification(url_.host));
    auto [handshake_error] =
        co_await stream.async_handshake(asio::ssl::stream_base::client, kTuple);
    if (handshake_error) {
        co_return "TLS handshake: " + handshake_error.message();
    }
    auto problem = co_await exchange(stream, request);
    co_return problem;
}

}  // namespace govmail::auth
