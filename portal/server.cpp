#include "portal/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

#include "portal/dispatch.hpp"

namespace govmail::portal {
namespace {

namespace http = boost::beast::http;

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kBodyLimit = 1024 * 1024;
constexpr std::size_t kReadChunk = 64 * 1024;

Request to_request(const http::request<http::string_body>& message, const SessionStream& stream) {
    Request out;
    out.method = std::string(message.method_string());
    auto [path, query] = split_target(message.target());
    out.path = std::move(path);
    out.target = std::string(message.target());
    out.query = std::move(query);
    out.body = message.body();
    if (message[http::field::content_type].starts_with("application/x-www-form-urlencoded")) {
        out.form = decode_form(out.body);
    }
    out.cookies = parse_cookies(message[http::field::cookie]);
    out.peer = stream.peer_address();
    out.tls = stream.tls_handle();
    return out;
}

// The headers every answer carries, and RESPONSE's own.
template <class Body>
void set_headers(http::response<Body>& message, Response& response, bool keep_alive) {
    message.set(http::field::content_type, response.content_type);
    message.set(http::field::cache_control, "no-store");
    message.set("X-Content-Type-Options", "nosniff");
    message.set("X-Frame-Options", "DENY");
    message.set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' "
        "data:; form-action " +
            response.form_action
    );
    message.set(http::field::strict_transport_security, "max-age=31536000");
    for (auto& [name, value] : response.headers) {
        message.insert(name, value);
    }
    message.keep_alive(keep_alive);
}

std::string serialize(Response response, bool keep_alive) {
    http::response<http::string_body> message{static_cast<http::status>(response.status), 11};
    set_headers(message, response, keep_alive);
    message.body() = std::move(response.body);
    message.prepare_payload();
    std::ostringstream out;
    out << message;
    return out.str();
}

// Writes RESPONSE with its file as the body, a buffer of Beast's file_body at a time, so a
// large archive never sits in memory. A file that cannot be opened is a 404.
boost::asio::awaitable<void> write_file(
    SessionStream& stream, Response response, bool keep_alive, boost::system::error_code& ec
) {
    http::response<http::file_body> message{static_cast<http::status>(response.status), 11};
    message.body().open(response.file->c_str(), boost::beast::file_mode::scan, ec);
    if (ec) {
        spdlog::error("portal: cannot open {}: {}", response.file->string(), ec.message());
        Response missing;
        missing.status = 404;
        missing.content_type = "text/plain; charset=utf-8";
        missing.body = "Not found\n";
        co_await stream.write(serialize(std::move(missing), keep_alive), ec);
        co_return;
    }
    set_headers(message, response, keep_alive);
    message.prepare_payload();
    http::response_serializer<http::file_body> serializer{message};
    while (!serializer.is_done()) {
        std::string piece;
        serializer.next(ec, [&piece](boost::system::error_code&, const auto& buffers) {
            for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
                piece.append(static_cast<const char*>(buffer.data()), buffer.size());
            }
        });
        if (ec) {
            co_return;
        }
        serializer.consume(piece.size());
        co_await stream.write(piece, ec);
        if (ec) {
            co_return;
        }
    }
}

}  // namespace

boost::asio::awaitable<void> serve_portal(SessionStream stream, Portal& portal) {
    const auto timeout = portal.config.portal.request_timeout;
    boost::system::error_code ec;
    co_await stream.start_tls(portal.tls, timeout, ec);
    if (ec) {
        spdlog::debug(
            "portal: TLS handshake with {} failed: {}", stream.peer_address().to_string(),
            ec.message()
        );
        co_await stream.close();
        co_return;
    }
    std::string buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(kHeaderLimit);
        parser.body_limit(kBodyLimit);
        parser.eager(true);
        // One deadline for the whole request, however its bytes trickle in.
        const auto deadline = SessionStream::Clock::now() + timeout;
        bool need_read = buffer.empty();
        while (!parser.is_done()) {
            if (need_read) {
                co_await stream.read_some(buffer, kReadChunk, deadline, ec);
                if (ec == boost::asio::error::timed_out && parser.got_some()) {
                    spdlog::debug(
                        "portal: {} sent no whole request within {} s, disconnected",
                        stream.peer_address().to_string(), timeout.count()
                    );
                }
                if (ec) {
                    co_await stream.close();
                    co_return;
                }
            }
            boost::system::error_code parse_ec;
            const auto used = parser.put(boost::asio::buffer(buffer), parse_ec);
            buffer.erase(0, used);
            if (parse_ec == http::error::need_more) {
                need_read = true;
                continue;
            }
            if (parse_ec) {
                Response bad;
                bad.status = parse_ec == http::error::body_limit ? 413 : 400;
                bad.content_type = "text/plain; charset=utf-8";
                bad.body = "Bad request\n";
                co_await stream.write(serialize(std::move(bad), false), ec);
                co_await stream.close();
                co_return;
            }
            need_read = buffer.empty();
        }
        const auto& message = parser.get();
        const bool keep_alive = message.keep_alive();
        const auto request = to_request(message, stream);
        auto response = co_await dispatch(portal, request);
        spdlog::debug(
            "portal: {} {} {} -> {}", request.peer.to_string(), request.method, request.path,
            response.status
        );
        if (response.file) {
            co_await write_file(stream, std::move(response), keep_alive, ec);
        } else {
            co_await stream.write(serialize(std::move(response), keep_alive), ec);
        }
        if (ec || !keep_alive) {
            break;
        }
    }
    co_await stream.close();
}

}  // namespace govmail::portal
