#include "tests/support/fake_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace govmail::test {
namespace asio = boost::asio;
using asio::awaitable;

FakeStream::FakeStream(asio::any_io_executor ex, FakeClient& client, bool tls)
    : executor_(std::move(ex)),
      client_(client),
      tls_(tls),
      peer_(asio::ip::make_address("192.0.2.1")) {}

awaitable<std::size_t> FakeStream::read_some(
    std::string& buffer, std::size_t max, Clock::time_point deadline, boost::system::error_code& ec
) {
    if (next_send_ < client_.sends.size()) {
        const auto chunk = std::string_view(client_.sends[next_send_++]).substr(0, max);
        buffer += chunk;
        co_return chunk.size();
    }
    if (!client_.silent_at_end) {
        ec = asio::error::eof;
        co_return 0;
    }
    asio::steady_timer timer(executor_, deadline);
    auto [waited] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    ec = waited ? waited : asio::error::timed_out;
    co_return 0;
}

awaitable<void> FakeStream::write(std::string_view data, boost::system::error_code& ec) {
    ec.clear();
    client_.received += data;
    co_return;
}

awaitable<void> FakeStream::start_tls(
    asio::ssl::context&, std::chrono::seconds, boost::system::error_code& ec
) {
    ec.clear();
    client_.tls_started = true;
    client_.received_before_tls = client_.received;
    tls_ = true;
    co_return;
}

awaitable<void> FakeStream::close() {
    client_.closed = true;
    co_return;
}

void run_session(
    asio::io_context& ioc, awaitable<void> session, const std::function<void()>& while_open
) {
    asio::co_spawn(ioc, std::move(session), asio::detached);
    asio::steady_timer timer(ioc, std::chrono::milliseconds(50));
    if (while_open) {
        timer.async_wait([&while_open](boost::system::error_code) { while_open(); });
    }
    ioc.run();
}

}  // namespace govmail::test
