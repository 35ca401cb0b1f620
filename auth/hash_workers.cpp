#include "auth/hash_workers.hpp"

#include <algorithm>

namespace govmail::auth {

HashWorkers::HashWorkers(std::size_t threads, std::size_t queue_length)
    : capacity_(std::max<std::size_t>(threads, 1) + queue_length) {
    const std::size_t count = std::max<std::size_t>(threads, 1);
    threads_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        threads_.emplace_back([this] { work(); });
    }
}

HashWorkers::~HashWorkers() {
    std::deque<std::unique_ptr<Job>> never_started;
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        never_started.swap(waiting_);
    }
    wake_.notify_all();
    for (auto& job : never_started) {
        job->abandon();
    }
    for (auto& thread : threads_) {
        thread.join();
    }
}

void HashWorkers::push(std::unique_ptr<Job>&& job) {
    bool queued = false;
    {
        const std::lock_guard lock(mutex_);
        queued = !stopping_ && waiting_.size() + running_ < capacity_;
        if (queued) {
            waiting_.push_back(std::move(job));
        }
    }
    if (!queued) {
        job->abandon();  // NOLINT(bugprone-use-after-move): moved only when queued
        return;
    }
    wake_.notify_one();
}

void HashWorkers::work() {
    while (auto job = take()) {
        job->run();
        {
            const std::lock_guard lock(mutex_);
            --running_;
        }
        job->finish();
    }
}

std::unique_ptr<HashWorkers::Job> HashWorkers::take() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (stopping_) {
        return nullptr;
    }
    auto job = std::move(waiting_.front());
    waiting_.pop_front();
    ++running_;
    return job;
}

}  // namespace govmail::auth
