#pragma once

// The accept side every daemon shares: a listening socket per configured address, a limit of
// concurrent connections per client address, and one coroutine per accepted connection on
// its own strand. A session's exception is logged and ends that session only.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "runtime/io_contexts.hpp"
#include "runtime/session_stream.hpp"

namespace govmail {

// Counts open connections per client address and in all; thread-safe. Also bounds the TLS
// handshakes under way only to refuse a connection over those limits.
class ConnectionLimiter {
public:
    // Refusals inside TLS under way at once; connections refused beyond them are closed
    // without a reply.
    static constexpr std::size_t kMaxTlsRefusals = 16;

    explicit ConnectionLimiter(
        std::size_t per_address, std::size_t total = std::numeric_limits<std::size_t>::max()
    )
        : per_address_(per_address), max_total_(total) {}

    // Reserves a place for ADDRESS, or returns false when it already has the maximum or all
    // addresses together have theirs.
    bool try_acquire(const boost::asio::ip::address& address);
    void release(const boost::asio::ip::address& address);
    // Connections open now, from all addresses.
    std::size_t total() const;

    // Reserves one of the kMaxTlsRefusals places, or returns false when all are taken.
    bool try_begin_tls_refusal();
    void end_tls_refusal();

private:
    std::size_t per_address_;
    std::size_t max_total_;
    mutable std::mutex mutex_;
    std::size_t total_ = 0;
    std::size_t tls_refusals_ = 0;
    std::map<boost::asio::ip::address, std::size_t> open_;
};

// What a connection over the limiter's limits is told before it is closed.
struct Refusal {
    // The protocol's reply: "421 4.7.0 Too many connections ...\r\n"; empty: close at once
    // (the portal: a handshake just to refuse would cost what the limits save).
    std::string text;
    // Set on an implicit-TLS port: TEXT is sent inside TLS, after a handshake of at most a
    // few seconds, and never in plaintext; when the handshake fails, or kMaxTlsRefusals are
    // under way, the connection is closed without a reply.
    boost::asio::ssl::context* implicit_tls = nullptr;
};

using SessionHandler = std::function<boost::asio::awaitable<void>(SessionStream)>;
// Where an accepted connection's session is to run.
using SessionPlacement = std::function<SessionPlace()>;

// Accepts on LISTENER until the acceptor is closed, running HANDLER for each connection on a
// strand of the context PLACE gives it (empty: the acceptor's). Connections over the limiter's
// limits get REFUSAL and are closed; each refusal is logged with the client's address and the
// port. A connection waits in the listen queue while accepting it would leave the process
// fewer than a few free descriptors.
boost::asio::awaitable<void> accept_loop(
    boost::asio::ip::tcp::acceptor& acceptor,
    ConnectionLimiter& limiter,
    Refusal refusal,
    SessionHandler handler,
    SessionPlacement place = {}
);

// Binds an acceptor to LISTENER's address and port (SO_REUSEADDR), on a strand of its own:
// run its accept loop there. Throws on failure.
boost::asio::ip::tcp::acceptor bind_listener(
    boost::asio::io_context& ioc, const ListenerConfig& listener
);

// A daemon's listening sockets, each with its accept loop; close() stops accepting. Thread-safe.
class Listeners {
public:
    // REFUSAL is written to connections over LIMITER's limits. The acceptors run on IOC, and
    // so do the sessions.
    Listeners(
        boost::asio::io_context& ioc,
        ConnectionLimiter& limiter,
        std::string daemon_name,
        std::string refusal
    );
    // The acceptors run on the main one of CONTEXTS, each session where IoContexts::place()
    // puts it.
    Listeners(
        IoContexts& contexts,
        ConnectionLimiter& limiter,
        std::string daemon_name,
        std::string refusal
    );

    // Binds LISTENER (unless it is disabled) and serves its connections with HANDLER.
    // IMPLICIT_TLS is set for a port whose sessions start with TLS: refusals are then sent
    // inside TLS. Throws when it cannot bind.
    void add(
        const ListenerConfig& listener,
        SessionHandler handler,
        boost::asio::ssl::context* implicit_tls = nullptr
    );
    void close();

private:
    boost::asio::io_context& ioc_;
    SessionPlacement place_;
    ConnectionLimiter& limiter_;
    std::string daemon_name_;
    std::string refusal_;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
};

}  // namespace govmail
