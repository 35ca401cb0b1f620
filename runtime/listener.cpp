#include "runtime/listener.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace govmail {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr auto kAcceptErrorPause = std::chrono::milliseconds(100);
// A client that is refused anyway gets this long to complete its TLS handshake.
constexpr auto kRefusalHandshakeTimeout = std::chrono::seconds(5);
// Descriptors an accept leaves free for the rest of the process: a database reconnection, a
// file, the sanitizer runtimes' own pipe (UBSan's vptr check takes one to read a vtable it has
// not seen yet, and reports a valid object as invalid when it cannot).
constexpr int kSpareDescriptors = 4;

// Whether the process can open COUNT more descriptors now; EC says why not. Probes with
// duplicates of FD, closed again at once.
bool descriptors_free(int fd, int count, boost::system::error_code& ec) {
    std::vector<int> probes;
    probes.reserve(static_cast<std::size_t>(count));
    while (probes.size() < static_cast<std::size_t>(count)) {
        const int probe = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (probe < 0) {
            ec.assign(errno, boost::system::system_category());
            break;
        }
        probes.push_back(probe);
    }
    for (const int probe : probes) {
        ::close(probe);
    }
    return !ec;
}

// Sends REFUSAL.text on STREAM (accepted on PORT), inside TLS on an implicit-TLS port (an
// empty text: nothing, not even a handshake), closes it and logs the refusal. Runs on the
// connection's strand.
awaitable<void> refuse(
    SessionStream stream, Refusal refusal, ConnectionLimiter& limiter, std::uint16_t port
) {
    const auto peer = stream.peer_address().to_string();
    boost::system::error_code ec;
    std::string outcome;
    if (refusal.text.empty()) {
        outcome = "closed without a reply";
    } else if (refusal.implicit_tls == nullptr) {
        co_await stream.write(refusal.text, ec);
        outcome = !ec ? "reply sent" : "reply not sent: " + ec.message();
    } else if (!limiter.try_begin_tls_refusal()) {
        outcome = "closed without a reply: too many refusals under way";
    } else {
        co_await stream.start_tls(*refusal.implicit_tls, kRefusalHandshakeTimeout, ec);
        if (!ec) {
            co_await stream.write(refusal.text, ec);
        }
        outcome = !ec ? "reply sent inside TLS" : "closed without a reply: TLS " + ec.message();
        limiter.end_tls_refusal();
    }
    co_await stream.close();
    spdlog::warn(
        "connection from {} to port {} refused: too many connections ({})", peer, port, outcome
    );
}

}  // namespace

bool ConnectionLimiter::try_begin_tls_refusal() {
    std::lock_guard lock(mutex_);
    if (tls_refusals_ >= kMaxTlsRefusals) {
        return false;
    }
    ++tls_refusals_;
    return true;
}

void ConnectionLimiter::end_tls_refusal() {
    std::lock_guard lock(mutex_);
    --tls_refusals_;
}

bool ConnectionLimiter::try_acquire(const asio::ip::address& address) {
    std::lock_guard lock(mutex_);
    if (total_ >= max_total_) {
        return false;
    }
    auto& count = open_[address];
    if (count >= per_address_) {
        return false;
    }
    ++count;
    ++total_;
    return true;
}

std::size_t ConnectionLimiter::total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

void ConnectionLimiter::release(const asio::ip::address& address) {
    std::lock_guard lock(mutex_);
    const auto it = open_.find(address);
    if (it == open_.end()) {
        return;
    }
    --total_;
    if (--it->second == 0) {
        open_.erase(it);
    }
}

asio::ip::tcp::acceptor bind_listener(asio::io_context& ioc, const ListenerConfig& listener) {
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(listener.address), listener.port);
    asio::ip::tcp::acceptor acceptor(asio::make_strand(ioc));
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        throw std::runtime_error(
            "cannot listen on " + listener.address + ":" + std::to_string(listener.port) + ": " +
            ec.message()
        );
    }
    return acceptor;
}

awaitable<void> accept_loop(
    asio::ip::tcp::acceptor& acceptor,
    ConnectionLimiter& limiter,
    Refusal refusal,
    SessionHandler handler,
    SessionPlacement place
) {
    auto& ioc = static_cast<asio::io_context&>(acceptor.get_executor().context());
    if (!place) {
        place = [&ioc] { return SessionPlace{ioc, nullptr}; };
    }
    boost::system::error_code ec;
    acceptor.non_blocking(true, ec);
    for (;;) {
        // Waits for a connection, then accepts it only while kSpareDescriptors stay free after
        // it: a daemon that let its sessions take every descriptor could not open anything
        // else until one ended.
        std::tie(ec) = co_await acceptor.async_wait(
            asio::ip::tcp::acceptor::wait_read, asio::as_tuple(asio::use_awaitable)
        );
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
            co_return;
        }
        auto session_place = place();
        asio::ip::tcp::socket socket(asio::make_strand(session_place.context));
        if (!ec && descriptors_free(acceptor.native_handle(), kSpareDescriptors + 1, ec)) {
            acceptor.accept(socket, ec);
        }
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            continue;  // the client went away, or it was not ready after all
        }
        if (ec) {
            // Out of descriptors and the like: pause instead of spinning, so the sessions
            // that hold the descriptors keep the threads and can end and free them.
            spdlog::warn("accept failed: {}", ec.message());
            asio::steady_timer pause(ioc, kAcceptErrorPause);
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        boost::system::error_code peer_ec;
        const auto peer = socket.remote_endpoint(peer_ec).address();
        if (peer_ec || !limiter.try_acquire(peer)) {
            const auto port = acceptor.local_endpoint(peer_ec).port();
            const auto ex = socket.get_executor();
            asio::co_spawn(
                ex, refuse(SessionStream(std::move(socket)), refusal, limiter, port), asio::detached
            );
            continue;
        }
        // Replies are written whole; without this the last segment of one waits for the
        // client's delayed ACK (Nagle), tens of milliseconds per command.
        socket.set_option(asio::ip::tcp::no_delay(true), peer_ec);
        const auto ex = socket.get_executor();
        asio::co_spawn(
            ex, handler(SessionStream(std::move(socket))),
            [&limiter, peer,
             counted = std::move(session_place.counted)](const std::exception_ptr& error) {
                limiter.release(peer);
                if (error) {
                    try {
                        std::rethrow_exception(error);
                    } catch (const std::exception& e) {
                        spdlog::error(
                            "session from {} ended by an internal error: {}", peer.to_string(),
                            e.what()
                        );
                    }
                }
            }
        );
    }
}

Listeners::Listeners(
    asio::io_context& ioc, ConnectionLimiter& limiter, std::string daemon_name, std::string refusal
)
    : ioc_(ioc),
      limiter_(limiter),
      daemon_name_(std::move(daemon_name)),
      refusal_(std::move(refusal)) {}

Listeners::Listeners(
    IoContexts& contexts, ConnectionLimiter& limiter, std::string daemon_name, std::string refusal
)
    : Listeners(contexts.main(), limiter, std::move(daemon_name), std::move(refusal)) {
    place_ = [&contexts] { return contexts.place(); };
}

void Listeners::add(
    const ListenerConfig& listener, SessionHandler handler, asio::ssl::context* implicit_tls
) {
    if (!listener.enabled) {
        return;
    }
    auto& acceptor = *acceptors_.emplace_back(
        std::make_unique<asio::ip::tcp::acceptor>(bind_listener(ioc_, listener))
    );
    spdlog::info("{} listening on {}:{}", daemon_name_, listener.address, listener.port);
    asio::co_spawn(
        acceptor.get_executor(),
        accept_loop(
            acceptor, limiter_, Refusal{refusal_, implicit_tls}, std::move(handler), place_
        ),
        asio::detached
    );
}

void Listeners::close() {
    // On the acceptor's strand, where its accept loop runs: an acceptor is not thread-safe,
    // and close() is called from whichever thread handles the signal.
    for (auto& acceptor : acceptors_) {
        asio::post(acceptor->get_executor(), [&acceptor = *acceptor] {
            boost::system::error_code ignored;
            acceptor.close(ignored);
        });
    }
}

}  // namespace govmail
