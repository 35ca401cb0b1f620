// Sessions spread over several io_contexts, each run by a thread of its own (smtpd): a new
// session goes where the fewest run, and every session runs on its context's thread only.

#include "runtime/io_contexts.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "runtime/listener.hpp"

namespace govmail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

std::size_t index_of(IoContexts& contexts, const SessionPlace& place) {
    return contexts.index_of(place.context.get_executor());
}

TEST(IoContexts, NewSessionsGoWhereTheFewestRun) {
    IoContexts contexts(2, 1);
    ASSERT_EQ(contexts.size(), 2u);
    EXPECT_EQ(&contexts.main(), &contexts[0]);
    {
        // One session at a time stays on the main context, where it was accepted.
        const auto lone = contexts.place();
        EXPECT_EQ(index_of(contexts, lone), 0u);
    }
    EXPECT_EQ(index_of(contexts, contexts.place()), 0u);

    auto first = std::make_unique<SessionPlace>(contexts.place());
    const auto second = contexts.place();
    EXPECT_EQ(index_of(contexts, *first), 0u);
    EXPECT_EQ(index_of(contexts, second), 1u);
    const auto third = contexts.place();  // a tie: the first context
    EXPECT_EQ(index_of(contexts, third), 0u);
    first.reset();  // one session each now
    const auto fourth = contexts.place();
    EXPECT_EQ(index_of(contexts, fourth), 0u);
    const auto fifth = contexts.place();  // two on the first, one on the second
    EXPECT_EQ(index_of(contexts, fifth), 1u);
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

using Record = std::function<void(std::size_t context, bool ending)>;

// Records the context the session runs on, and again when its client has left.
asio::awaitable<void> note_context(
    SessionStream stream, IoContexts& contexts, const Record& record
) {
    const auto context = contexts.index_of(stream.get_executor());
    record(context, false);
    boost::system::error_code ec;
    std::string input;
    while (!ec) {
        co_await stream.read_some(input, 1024, SessionStream::Clock::now() + 30s, ec);
    }
    record(context, true);
}

TEST(IoContexts, ListenersSpreadSessionsAndEachStaysOnItsThread) {
    IoContexts contexts(2, 1);
    ConnectionLimiter limiter(100);
    Listeners listeners(contexts, limiter, "test", "421 busy\r\n");
    asio::io_context client_context;
    tcp::acceptor unused(client_context, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    const auto port = unused.local_endpoint().port();
    unused.close();

    std::mutex mutex;
    std::map<std::size_t, std::set<std::thread::id>> threads_of_context;
    std::map<std::size_t, int> sessions_of_context;
    int started = 0;
    int ended = 0;
    const Record record = [&](std::size_t context, bool ending) {
        std::lock_guard lock(mutex);
        threads_of_context[context].insert(std::this_thread::get_id());
        sessions_of_context[context] += ending ? 0 : 1;
        ++(ending ? ended : started);
    };
    const auto wait_for = [&](const int& count, int wanted) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mutex);
                if (count == wanted) {
                    return true;
                }
            }
            std::this_thread::sleep_for(1ms);
        }
        return false;
    };
    listeners.add(ListenerConfig{"127.0.0.1", port}, [&](SessionStream stream) {
        return note_context(std::move(stream), contexts, record);
    });
    std::thread runner([&] { contexts.run(); });

    constexpr int kClients = 8;
    std::vector<tcp::socket> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.emplace_back(client_context)
            .connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
        ASSERT_TRUE(wait_for(started, i + 1));  // accepted before the next one connects
    }
    clients.clear();  // every client leaves
    const bool all_ended = wait_for(ended, kClients);
    listeners.close();
    contexts.stop();
    runner.join();

    ASSERT_TRUE(all_ended);
    EXPECT_EQ(sessions_of_context, (std::map<std::size_t, int>{{0, 4}, {1, 4}}));
    ASSERT_EQ(threads_of_context.size(), 2u);
    EXPECT_EQ(threads_of_context[0].size(), 1u);
    EXPECT_EQ(threads_of_context[1].size(), 1u);
    EXPECT_NE(*threads_of_context[0].begin(), *threads_of_context[1].begin());
}

}  // namespace
}  // namespace govmail
