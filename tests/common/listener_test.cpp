// Listeners as a daemon runs them: accept loops on an io_context run by two threads, closed
// from another thread (the signal handler's) while clients keep connecting. Under
// ThreadSanitizer (scripts/tsan.sh) this showed close() racing with the accept loop on the
// acceptor when both ran outside the acceptor's strand.

#include "common/listener.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace govmail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A loopback port nothing listens on now.
std::uint16_t unused_port() {
    asio::io_context ioc;
    tcp::acceptor probe(ioc, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    return probe.local_endpoint().port();
}

bool connects(std::uint16_t port) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
    return !ec;
}

asio::awaitable<void> end_at_once(SessionStream) { co_return; }

TEST(Listeners, CloseFromAnotherThreadWhileClientsConnect) {
    asio::io_context ioc;
    ConnectionLimiter limiter(1000);
    Listeners listeners(ioc, limiter, "test", "421 busy\r\n");
    const auto port = unused_port();
    listeners.add(ListenerConfig{"127.0.0.1", port}, end_at_once);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&ioc] { ioc.run(); });
    }

    std::atomic<bool> closing = false;
    std::atomic<int> accepted = 0;
    std::thread client([&] {
        while (!closing) {
            accepted += connects(port) ? 1 : 0;
        }
    });
    while (accepted < 50) {
        std::this_thread::sleep_for(1ms);
    }
    listeners.close();
    closing = true;
    client.join();

    // Closing ends the accept loop: the port refuses connections, and the io_context runs out
    // of work once the sessions have ended.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (connects(port) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_FALSE(connects(port));
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(limiter.total(), 0u);
}

}  // namespace
}  // namespace govmail
