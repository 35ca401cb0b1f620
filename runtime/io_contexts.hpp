#pragma once

// The io_contexts a daemon runs its sessions on. One context run by several threads lets any
// thread take any session's next step; several contexts with a thread each keep a session,
// and the database connections of its shard, on one thread, so a step that waits on the
// network or the database resumes where it started instead of being handed to another thread
// (a wake-up and a lock round trip per step).

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <vector>

namespace govmail {

// Where a session runs: a context, and its place in that context's session count, given up
// when this is destroyed.
struct SessionPlace {
    struct Leave {
        void operator()(std::atomic<std::size_t>* sessions) const { --*sessions; }
    };

    boost::asio::io_context& context;
    std::unique_ptr<std::atomic<std::size_t>, Leave> counted;
};

class IoContexts {
public:
    // COUNT contexts (at least one), each run by THREADS_EACH threads (at least one).
    IoContexts(std::size_t count, std::size_t threads_each);

    std::size_t size() const { return contexts_.size(); }
    boost::asio::io_context& operator[](std::size_t index) { return *contexts_[index]; }
    // The first: signals, listening sockets and other daemon-wide work run there.
    boost::asio::io_context& main() { return *contexts_.front(); }
    // A place for a new session on the context with the fewest sessions, the first of those
    // if several (a lone session then runs where it was accepted, on the main context);
    // thread-safe.
    SessionPlace place();
    // Which of them EX runs on.
    std::size_t index_of(const boost::asio::any_io_executor& ex) const;

    // Runs every context on its threads, this one included, until stop().
    void run();
    // Makes run() return; thread-safe.
    void stop();

private:
    using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

    std::size_t threads_each_;
    // Before the contexts: a session's place is given up when its context destroys it.
    std::vector<std::atomic<std::size_t>> sessions_;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<WorkGuard> keep_running_;
};

}  // namespace govmail
