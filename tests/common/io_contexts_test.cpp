// Sessions spread over several io_contexts, each run by a thread of its own (smtpd): every
// session runs on the context it was placed on, on that context's thread only.

#include "common/io_contexts.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/listener.hpp"

namespace govmail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

TEST(IoContexts, NextTakesEachContextInTurn) {
    IoContexts contexts(3, 1);
    ASSERT_EQ(contexts.size(), 3u);
    std::vector<std::size_t> order;
    for (int i = 0; i < 6; ++i) {
        order.push_back(contexts.index_of(contexts.next().get_executor()));
    }
    EXPECT_EQ(order, (std::vector<std::size_t>{0, 1, 2, 0, 1, 2}));
    EXPECT_EQ(&contexts.main(), &contexts[0]);
}

TEST(IoContexts, RunKeepsGoingWithoutWorkUntilStopped) {
    IoContexts contexts(2, 1);
    std::thread runner([&] { contexts.run(); });
    std::this_thread::sleep_for(50ms);  // nothing queued: run() must not have returned
    std::promise<std::thread::id> ran_on;
    asio::post(contexts[1], [&] { ran_on.set_value(std::this_thread::get_id()); });
    auto future = ran_on.get_future();
    ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
    EXPECT_NE(future.get(), std::this_thread::get_id());
    contexts.stop();
    runner.join();
}

using Record = std::function<void(std::size_t context)>;

// Records the context the session runs on, closes the connection, and records it again.
asio::awaitable<void> note_context(
    SessionStream stream, IoContexts& contexts, const Record& record
) {
    const auto context = contexts.index_of(stream.get_executor());
    record(context);
    co_await stream.close();
    record(context);  // after a wait: still on the same context's thread
}

TEST(IoContexts, ListenersPlaceSessionsOnEachContextInTurn) {
    IoContexts contexts(2, 1);
    ConnectionLimiter limiter(100);
    Listeners listeners(contexts, limiter, "test", "421 busy\r\n");
    asio::io_context probe;
    tcp::acceptor unused(probe, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    const auto port = unused.local_endpoint().port();
    unused.close();

    std::mutex mutex;
    std::map<std::size_t, std::set<std::thread::id>> threads_of_context;
    std::size_t sessions = 0;
    const Record record = [&](std::size_t context) {
        std::lock_guard lock(mutex);
        threads_of_context[context].insert(std::this_thread::get_id());
        ++sessions;
    };
    listeners.add(ListenerConfig{"127.0.0.1", port}, [&](SessionStream stream) {
        return note_context(std::move(stream), contexts, record);
    });
    std::thread runner([&] { contexts.run(); });
    constexpr std::size_t kClients = 8;
    for (std::size_t i = 0; i < kClients; ++i) {
        asio::io_context client_context;
        tcp::socket client(client_context);
        client.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
        char byte = 0;
        boost::system::error_code ec;
        client.read_some(asio::buffer(&byte, 1), ec);  // the session closes it
        EXPECT_EQ(ec, asio::error::eof);
    }
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
        std::lock_guard lock(mutex);
        if (sessions == 2 * kClients) {
            break;
        }
    }
    listeners.close();
    contexts.stop();
    runner.join();
    ASSERT_EQ(sessions, 2 * kClients);
    ASSERT_EQ(threads_of_context.size(), 2u);  // both contexts took sessions
    EXPECT_EQ(threads_of_context[0].size(), 1u);
    EXPECT_EQ(threads_of_context[1].size(), 1u);
    EXPECT_NE(*threads_of_context[0].begin(), *threads_of_context[1].begin());
}

}  // namespace
}  // namespace govmail
