// Listeners as a daemon runs them: accept loops on an io_context run by two threads, closed
// from another thread (the signal handler's) while clients keep connecting. Under
// ThreadSanitizer (scripts/tsan.sh) this showed close() racing with the accept loop on the
// acceptor when both ran outside the acceptor's strand.

#include "runtime/listener.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
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

// A session that lasts until its client leaves.
asio::awaitable<void> until_client_leaves(SessionStream stream) {
    boost::system::error_code ec;
    std::string input;
    while (!ec) {
        input.clear();
        co_await stream.read_some(input, 1024, SessionStream::Clock::now() + 30s, ec);
    }
    co_await stream.close();
}

int highest_open_descriptor() {
    int highest = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        highest = std::max(highest, std::stoi(entry.path().filename().string()));
    }
    return highest;
}

// How many more descriptors this process can open now: the numbers below its limit that are
// not in use (counted without opening them, which would take them all for a moment).
int free_descriptors() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    std::error_code ec;
    std::filesystem::directory_iterator entries("/proc/self/fd", ec);
    if (ec) {
        return 0;  // not even one for the listing
    }
    int open = -1;  // the listing's own, closed again
    for (const auto& entry : entries) {
        open += std::stoul(entry.path().filename().string()) < limit.rlim_cur ? 1 : 0;
    }
    return static_cast<int>(limit.rlim_cur) - open;
}

TEST(Listeners, LeaveDescriptorsFreeWhenClientsWouldTakeThemAll) {
    // More clients than the process has descriptors: before, the accept loop took every one,
    // and nothing else in the process could open a descriptor until a session ended (under
    // UBSan, a vptr check it had not cached then reported a valid object as invalid and ended
    // the daemon, for it reads the vtable through a pipe).
    constexpr int kClients = 40;
    asio::io_context ioc;
    ConnectionLimiter limiter(1000);
    Listeners listeners(ioc, limiter, "test", "421 busy\r\n");
    const auto port = unused_port();
    listeners.add(ListenerConfig{"127.0.0.1", port}, until_client_leaves);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&ioc] { ioc.run(); });
    }
    std::vector<int> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        ASSERT_GE(clients.back(), 0);
    }

    // The limit bounds descriptor numbers, and numbers below the highest open one may be
    // free: FILLERS take all but kFree of what is left.
    constexpr int kFree = 10;
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    rlimit low = saved;
    low.rlim_cur = static_cast<rlim_t>(highest_open_descriptor()) + 1 + kFree;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    std::vector<int> fillers;
    for (int left = free_descriptors(); left > kFree; --left) {
        fillers.push_back(::dup(clients.front()));
    }
    const int free_before = free_descriptors();
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int connected = 0;
    for (const int client : clients) {
        const auto* to = reinterpret_cast<sockaddr*>(&address);
        connected += ::connect(client, to, sizeof address) == 0 ? 1 : 0;
    }
    // Until the daemon has accepted what it will.
    std::size_t sessions = 0;
    for (int still = 0; still < 10; ++still) {
        std::this_thread::sleep_for(50ms);
        if (limiter.total() != sessions) {
            sessions = limiter.total();
            still = 0;
        }
    }
    const int free_after = free_descriptors();
    for (const int filler : fillers) {
        ::close(filler);
    }
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);

    // No assertion above: a failing one could not print while the descriptors are out.
    EXPECT_EQ(free_before, kFree);
    EXPECT_EQ(connected, kClients) << std::strerror(errno);
    EXPECT_GT(sessions, 0u);
    EXPECT_GE(free_after, 2) << sessions << " sessions took " << free_before - free_after << " of "
                             << free_before << " free descriptors";
    for (const int client : clients) {
        ::close(client);
    }
    listeners.close();
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(limiter.total(), 0u);
}

// Each refusal on an implicit-TLS port costs a handshake: only so many are under way at once.
TEST(ConnectionLimiter, BoundsTlsRefusalsUnderWay) {
    ConnectionLimiter limiter(1);
    for (std::size_t i = 0; i < ConnectionLimiter::kMaxTlsRefusals; ++i) {
        EXPECT_TRUE(limiter.try_begin_tls_refusal());
    }
    EXPECT_FALSE(limiter.try_begin_tls_refusal());
    limiter.end_tls_refusal();
    EXPECT_TRUE(limiter.try_begin_tls_refusal());
}

}  // namespace
}  // namespace govmail
