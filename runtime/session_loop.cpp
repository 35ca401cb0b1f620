#include "runtime/session_loop.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/experimental/awaitable_operators.hpp>

namespace govmail {
namespace asio = boost::asio;
using asio::awaitable;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kKeptOutputCapacity = 1024;
constexpr auto kTlsHandshakeTimeout = std::chrono::seconds(30);

}  // namespace

SessionLoop::SessionLoop(
    std::unique_ptr<ByteStream> stream,
    std::string& output,
    const SessionSettings& settings,
    SessionProtocol& protocol
)
    : stream_(std::move(stream)),
      output_(output),
      sessions_(settings.sessions),
      limits_(settings.limits),
      protocol_(protocol),
      watch_(std::make_shared<SessionWatch>(stream_->get_executor())) {
    sessions_.add(watch_);
}

SessionLoop::~SessionLoop() { sessions_.remove(watch_); }

void SessionLoop::start_deadline(unsigned multiple) {
    const auto allowed = logged_in_ ? limits_.idle_timeout : limits_.login_timeout;
    deadline_ = Clock::now() + allowed * multiple;
}

void SessionLoop::say(Farewell farewell) {
    if (!over()) {
        protocol_.say_farewell(farewell);
        farewell_said_ = true;
    }
}

awaitable<bool> SessionLoop::flush() {
    if (lost_) {
        co_return false;
    }
    if (output_.empty()) {
        co_return true;
    }
    boost::system::error_code ec;
    co_await stream_->write(output_, ec);
    // A large reply (a FETCH or SEARCH of many messages) is not kept while the session waits.
    if (output_.capacity() > kKeptOutputCapacity) {
        std::string().swap(output_);
    } else {
        output_.clear();
    }
    if (ec) {
        lost_ = true;
    }
    co_return !ec;
}

bool SessionLoop::ending() {
    const auto reason = watch_->end_reason();
    if (!reason) {
        return false;
    }
    say(*reason == SessionEnd::Shutdown ? Farewell::Shutdown : Farewell::AccountDisabled);
    return true;
}

awaitable<bool> SessionLoop::read_more(bool wake_on_change) {
    if (ending() || over()) {
        co_return false;
    }
    boost::system::error_code ec;
    auto result = co_await (
        stream_->read_some(input_, kReadChunk, deadline_, ec) || watch_->wait(wake_on_change)
    );
    if (result.index() == 1) {
        co_return !ending();
    }
    if (ec == asio::error::timed_out) {
        say(Farewell::Timeout);
    } else if (ec) {
        lost_ = true;  // EOF or reset: nobody to tell
    }
    co_return !ec;
}

awaitable<bool> SessionLoop::answer_then_read(bool wake_on_change) {
    const bool written = co_await flush();
    if (!written) {
        co_return false;
    }
    co_return co_await read_more(wake_on_change);
}

bool SessionLoop::count_bad_command() {
    if (++bad_commands_ < limits_.max_bad_commands) {
        return false;
    }
    say(Farewell::TooManyErrors);
    return true;
}

awaitable<bool> SessionLoop::handshake(asio::ssl::context& tls) {
    boost::system::error_code ec;
    co_await stream_->start_tls(tls, kTlsHandshakeTimeout, ec);
    if (ec) {
        spdlog::info(
            "TLS handshake with {} failed: {}", stream_->peer_address().to_string(), ec.message()
        );
        lost_ = true;
    }
    co_return !ec;
}

awaitable<bool> SessionLoop::start_tls(asio::ssl::context& tls) {
    const bool written = co_await flush();
    if (!written) {
        co_return false;
    }
    input_.clear();
    co_return co_await handshake(tls);
}

void SessionLoop::logged_in(std::int64_t account) {
    logged_in_ = true;
    sessions_.logged_in(watch_, account);
}

awaitable<void> SessionLoop::close() {
    co_await flush();
    co_await stream_->close();
}

}  // namespace govmail
