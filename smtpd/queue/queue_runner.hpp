#pragma once

// The outbound queue runner of one smtpd process: CONCURRENCY workers that each claim the
// due recipients of one queued message at a time and attempt them. Workers sleep until mail
// is queued (NOTIFY from the delivery transaction, in any process) or the poll interval
// passes. Several processes may run runners on the same database.
//
// Talks to remote servers (untrusted) and to the mailstore; runs in the unprivileged smtpd.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <vector>

#include "smtpd/queue/queue_context.hpp"

namespace govmail::smtpd {

class QueueRunner {
public:
    // Throws std::runtime_error when queue.relay_host is malformed (configuration error).
    QueueRunner(
        boost::asio::io_context& ioc,
        const Config& config,
        storage::Pool& pool,
        storage::Mailstore& store
    );

    // Starts the workers and the listener (nothing when queue.concurrency is 0).
    void start();
    // Workers finish their current message and stop; idle() tells when they have.
    void stop();
    bool idle() const { return busy_ == 0; }

private:
    boost::asio::awaitable<void> worker();
    boost::asio::awaitable<void> listen();
    // Waits until woken or the poll interval passes.
    boost::asio::awaitable<void> sleep();
    void wake();

    const Config& config_;
    storage::Pool& pool_;
    storage::QueueStore queue_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::thread_pool dns_threads_{1};
    boost::asio::ssl::context tls_;
    QueueContext ctx_;
    std::vector<boost::asio::steady_timer*> sleepers_;  // the poll timers of sleeping workers
    std::uint64_t wakeups_ = 0;  // counts wake(), so no wake-up is lost between claims
    bool stopping_ = false;
    std::atomic<std::size_t> busy_{0};
};

}  // namespace govmail::smtpd
