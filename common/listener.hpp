#pragma once

// The accept side every daemon shares: a listening socket per configured address, a limit of
// concurrent connections per client address, and one coroutine per accepted connection on
// its own strand. A session's exception is logged and ends that session only.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "common/io_contexts.hpp"
#include "common/session_stream.hpp"

namespace govmail {

// Counts open connections per client address and in all; thread-safe.
class ConnectionLimiter {
public:
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

private:
    std::size_t per_address_;
    std::size_t max_total_;
    mutable std::mutex mutex_;
    std::size_t total_ = 0;
    std::map<boost::asio::ip::address, std::size_t> open_;
};

using SessionHandler = std::function<boost::asio::awaitable<void>(SessionStream)>;
// Where an accepted connection's session is to run.
using SessionPlacement = std::function<SessionPlace()>;

// Accepts on LISTENER until the acceptor is closed, running HANDLER for each connection on a
// strand of the context PLACE gives it (empty: the acceptor's). Connections over the limiter's
// limits get REFUSAL written (nothing when it is empty, as on a TLS port) and are closed; the
// log says so, at most once a minute. A connection waits in the listen queue while
// accepting it would leave the process fewer than a few free descriptors.
boost::asio::awaitable<void> accept_loop(
    boost::asio::ip::tcp::acceptor& acceptor,
    ConnectionLimiter& limiter,
    std::string refusal,
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
    // Throws when it cannot bind.
    void add(const ListenerConfig& listener, SessionHandler handler);
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
