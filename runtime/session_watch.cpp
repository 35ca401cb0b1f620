#include "runtime/session_watch.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace govmail {
namespace asio = boost::asio;

SessionWatch::SessionWatch(asio::any_io_executor ex) : timer_(std::move(ex)) {}

void SessionWatch::notify_change() {
    asio::post(timer_.get_executor(), [self = shared_from_this()] {
        self->changed_ = true;
        self->timer_.cancel();
    });
}

void SessionWatch::end(SessionEnd reason) {
    asio::post(timer_.get_executor(), [self = shared_from_this(), reason] {
        if (!self->end_reason_) {
            self->end_reason_ = reason;
        }
        self->timer_.cancel();
    });
}

bool SessionWatch::take_changed() { return std::exchange(changed_, false); }

asio::awaitable<void> SessionWatch::wait(bool with_changes) {
    while (!end_reason_ && !(with_changes && changed_)) {
        timer_.expires_at(asio::steady_timer::time_point::max());
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

}  // namespace govmail
