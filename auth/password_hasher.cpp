#include "auth/password_hasher.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <utility>

#include "auth/secrets.hpp"

namespace govmail::auth {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

// One call's work and the handler of its caller. Whatever the outcome, the handler is
// posted to the caller's own executor, which the job keeps busy (a work guard) meanwhile.
template <class T, class Work, class Handler>
class HashJob final : public HashWorkers::Job {
public:
    HashJob(Work&& work, Handler&& handler)
        : work_(std::move(work)),
          handler_(std::move(handler)),
          caller_(asio::make_work_guard(asio::get_associated_executor(handler_))) {}

    void run() override {
        try {
            value_ = work_();
        } catch (...) {
            error_ = std::current_exception();
        }
    }

    void finish() override { complete(error_, std::move(value_)); }

    void abandon() override { complete(std::make_exception_ptr(HasherBusy()), T{}); }

private:
    void complete(std::exception_ptr error, T&& value) {
        asio::post(
            caller_.get_executor(),
            [handler = std::move(handler_), error, value = std::move(value)]() mutable {
                std::move(handler)(error, std::move(value));
            }
        );
        caller_.reset();
    }

    Work work_;
    Handler handler_;
    std::exception_ptr error_;  // run's outcome, handed over by finish
    T value_{};
    asio::executor_work_guard<asio::associated_executor_t<Handler>> caller_;
};

// WORK (returning T) on WORKERS, awaited by the calling coroutine. The initiation runs when
// the caller awaits, while WORK (the caller's) is alive, and moves it into the job.
template <class T, class Work>
awaitable<T> run_on(HashWorkers& workers, Work&& work) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, T)>(
        [&workers, &work](auto handler) {
            using Handler = decltype(handler);
            workers.push(std::make_unique<HashJob<T, Work, Handler>>(
                std::forward<Work>(work), std::move(handler)
            ));
        },
        asio::use_awaitable
    );
}

}  // namespace

PasswordHasher::PasswordHasher(Argon2Params params, std::size_t threads, std::size_t queue_length)
    : params_(params),
      unknown_hash_(hash_password(generate_secret(), params)),
      workers_(threads, queue_length) {}

// The work is a named local, not a temporary in the co_await expression: g++ 12 relocates
// such a temporary lambda bitwise, leaving its strings pointing at their old place.
awaitable<std::string> PasswordHasher::hash(std::string password) {
    auto work = [password = std::move(password), params = params_] {
        return hash_password(password, params);
    };
    co_return co_await run_on<std::string>(workers_, std::move(work));
}

awaitable<bool> PasswordHasher::verify(std::string phc, std::string password) {
    auto work = [phc = std::move(phc), password = std::move(password)] {
        return verify_password(phc, password);
    };
    co_return co_await run_on<bool>(workers_, std::move(work));
}

awaitable<void> PasswordHasher::verify_nothing(std::string password) {
    co_await verify(unknown_hash_, std::move(password));
}

}  // namespace govmail::auth
