#include "smtpd/queue/queue_runner.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "common/unix_time.hpp"
#include "smtpd/queue/message_delivery.hpp"
#include "smtpd/queue/routing.hpp"

namespace govmail::smtpd {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// A session must end this long before its claim's lease does.
std::chrono::seconds lease_margin(std::chrono::seconds lease) { return lease / 10; }

void log_if_failed(const char* what, std::exception_ptr error) {
    if (!error) {
        return;
    }
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        spdlog::critical("queue {} stopped: {}", what, e.what());
    }
}

}  // namespace

QueueRunner::QueueRunner(
    asio::io_context& ioc, const Config& config, storage::Pool& pool, storage::Mailstore& store
)
    : config_(config),
      pool_(pool),
      queue_(pool),
      strand_(asio::make_strand(ioc)),
      tls_(make_client_tls_context(config.queue.tls == OutboundTls::Verify)),
      ctx_{
          config,
          store,
          queue_,
          ClientOptions{
              config.hostname, config.queue.tls, &tls_,
              ClientTimeouts::scaled(config.queue.timeout_percent, config.queue.connect_timeout)},
          RetrySchedule{config.queue.retry_initial, config.queue.retry_max, config.queue.give_up},
          [this](std::string domain) {
              return lookup_mx(
                  dns_threads_.get_executor(), config_.dns.nameservers, std::move(domain)
              );
          },
          unix_now} {
    if (!config.queue.relay_host.empty() && !parse_relay_host(config.queue.relay_host)) {
        throw std::runtime_error(
            "config: queue.relay_host = '" + config.queue.relay_host + "' is not host:port"
        );
    }
}

void QueueRunner::start() {
    if (config_.queue.concurrency == 0) {
        return;
    }
    asio::co_spawn(strand_, listen(), [](std::exception_ptr e) { log_if_failed("listener", e); });
    for (std::size_t i = 0; i < config_.queue.concurrency; ++i) {
        asio::co_spawn(strand_, worker(), [](std::exception_ptr e) { log_if_failed("worker", e); });
    }
    spdlog::info(
        "queue runner started: {} workers, {}", config_.queue.concurrency,
        config_.queue.relay_host.empty() ? "MX delivery" : "relay " + config_.queue.relay_host
    );
}

void QueueRunner::stop() {
    asio::post(strand_, [this] {
        stopping_ = true;
        wake();
    });
}

void QueueRunner::wake() {
    ++wakeups_;
    for (auto* sleeper : sleepers_) {
        sleeper->cancel();
    }
}

awaitable<void> QueueRunner::listen() {
    co_await storage::listen_for_queued_mail(pool_, [this] { wake(); });
}

awaitable<void> QueueRunner::sleep() {
    asio::steady_timer poll(strand_, config_.queue.poll_interval);
    sleepers_.push_back(&poll);
    co_await poll.async_wait(kTuple);
    std::erase(sleepers_, &poll);
}

awaitable<void> QueueRunner::worker() {
    const auto lease = std::max(config_.queue.lease, std::chrono::seconds(2));
    while (!stopping_) {
        const auto seen = wakeups_;
        ++busy_;
        auto claimed = co_await queue_.claim_next(lease);
        const auto deadline = ClientStream::Clock::now() + lease - lease_margin(lease);
        if (claimed && *claimed) {
            co_await deliver_claimed(ctx_, std::move(**claimed), deadline);
        }
        --busy_;
        if (!claimed) {
            spdlog::error("queue: claiming due mail failed: {}", claimed.error().message());
        }
        if (claimed && *claimed) {
            continue;  // there may be more
        }
        if (wakeups_ == seen && !stopping_) {
            co_await sleep();
        }
    }
}

}  // namespace govmail::smtpd
