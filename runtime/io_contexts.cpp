#include "runtime/io_contexts.hpp"

#include <algorithm>
#include <thread>

namespace govmail {
namespace asio = boost::asio;

IoContexts::IoContexts(std::size_t count, std::size_t threads_each)
    : threads_each_(std::max<std::size_t>(1, threads_each)),
      sessions_(std::max<std::size_t>(1, count)) {
    const auto contexts = sessions_.size();
    const auto hint = static_cast<int>(threads_each_);
    for (std::size_t i = 0; i < contexts; ++i) {
        keep_running_.push_back(
            asio::make_work_guard(*contexts_.emplace_back(std::make_unique<asio::io_context>(hint)))
        );
    }
}

SessionPlace IoContexts::place() {
    std::size_t fewest = 0;
    for (std::size_t i = 1; i < sessions_.size(); ++i) {
        if (sessions_[i] < sessions_[fewest]) {
            fewest = i;
        }
    }
    ++sessions_[fewest];
    return SessionPlace{*contexts_[fewest], {&sessions_[fewest], {}}};
}

std::size_t IoContexts::index_of(const asio::any_io_executor& ex) const {
    const auto& context = ex.context();
    const auto found = std::find_if(contexts_.begin(), contexts_.end(), [&](const auto& c) {
        return static_cast<const asio::execution_context*>(c.get()) == &context;
    });
    return static_cast<std::size_t>(found - contexts_.begin());
}

void IoContexts::run() {
    std::vector<std::thread> threads;
    for (auto& context : contexts_) {
        const std::size_t first = context == contexts_.front() ? 1 : 0;
        for (std::size_t i = first; i < threads_each_; ++i) {
            threads.emplace_back([&context] { context->run(); });
        }
    }
    main().run();
    for (auto& thread : threads) {
        thread.join();
    }
}

void IoContexts::stop() {
    for (auto& context : contexts_) {
        context->stop();
    }
}

}  // namespace govmail
