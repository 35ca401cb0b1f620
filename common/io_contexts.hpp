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

class IoContexts {
public:
    // COUNT contexts (at least one), each run by THREADS_EACH threads (at least one).
    IoContexts(std::size_t count, std::size_t threads_each);

    std::size_t size() const { return contexts_.size(); }
    boost::asio::io_context& operator[](std::size_t index) { return *contexts_[index]; }
    // The first: signals, listening sockets and other daemon-wide work run there.
    boost::asio::io_context& main() { return *contexts_.front(); }
    // The contexts in turn, for spreading sessions; thread-safe.
    boost::asio::io_context& next();
    // Which of them EX runs on.
    std::size_t index_of(const boost::asio::any_io_executor& ex) const;

    // Runs every context on its threads, this one included, until stop().
    void run();
    // Makes run() return; thread-safe.
    void stop();

private:
    using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

    std::size_t threads_each_;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<WorkGuard> keep_running_;
    std::atomic<std::size_t> turn_{0};
};

}  // namespace govmail
