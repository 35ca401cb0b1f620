#pragma once

// Running a coroutine to completion from a test body.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <stdexcept>

namespace govmail::test {

// Runs TASK on IOC until it finishes (at most TIMEOUT) and returns its value; rethrows its
// exception. The io_context is restarted so it can be used again.
template <class T>
T run(
    boost::asio::io_context& ioc,
    boost::asio::awaitable<T> task,
    std::chrono::seconds timeout = std::chrono::seconds(60)
) {
    auto future = boost::asio::co_spawn(ioc, std::move(task), boost::asio::use_future);
    ioc.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("test coroutine timed out");
        }
        ioc.run_for(std::chrono::milliseconds(10));
    }
    return future.get();
}

// Runs IOC until DONE() is true or TIMEOUT passes; returns DONE().
template <class Predicate>
bool run_until(
    boost::asio::io_context& ioc,
    Predicate done,
    std::chrono::milliseconds timeout = std::chrono::seconds(10)
) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        ioc.restart();
        ioc.run_for(std::chrono::milliseconds(10));
    }
    return done();
}

}  // namespace govmail::test
