#pragma once

// The worker threads password hashing runs on, and the one FIFO queue in front of them.
// Jobs start in the order they were pushed, so under a storm of logins no job waits behind
// one pushed after it. The queue is bounded: a push beyond it is refused at once, and the
// caller answers a temporary failure instead of letting waits grow without end.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace govmail::auth {

class HashWorkers {
public:
    // One unit of work. Either run then finish (on a worker) or abandon is called: abandon on
    // the pushing thread when the queue is full, or on the destroying thread for a job that
    // never started. finish hands the outcome to the caller only once the worker counts as
    // free again, so a caller that pushes its next job at once finds room.
    class Job {
    public:
        Job() = default;
        Job(const Job&) = delete;
        Job& operator=(const Job&) = delete;
        virtual ~Job() = default;
        virtual void run() = 0;
        virtual void finish() = 0;
        virtual void abandon() = 0;
    };

    // THREADS workers (at least one); up to QUEUE_LENGTH jobs wait while all are busy.
    HashWorkers(std::size_t threads, std::size_t queue_length);
    HashWorkers(const HashWorkers&) = delete;
    HashWorkers& operator=(const HashWorkers&) = delete;
    // Abandons the jobs still waiting, then joins the workers once their running jobs end.
    ~HashWorkers();

    // Queues JOB behind every job pushed before it, or abandons it at once when the queue
    // is full.
    void push(std::unique_ptr<Job>&& job);

private:
    void work();
    // The oldest waiting job, counted as running; null once stopping.
    std::unique_ptr<Job> take();

    std::size_t capacity_;  // jobs waiting or running
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<Job>> waiting_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;  // last: started once the rest is ready
};

}  // namespace govmail::auth
