#pragma once

// Teaching rspamd: POST /learnspam or /learnham to its controller with the message as the body
// (and the controller's password when [filter] controller_password is set), one connection
// per message (learning is a trickle next to scanning), within [filter] timeout_ms. The
// controller keeps Bayes' statistics in its redis-server.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "common/config.hpp"

namespace govmail::filter {

enum class LearnOutcome {
    Learnt,   // rspamd learnt it, or had learnt it before
    Refused,  // rspamd will never learn it (e.g. too short to classify): do not retry
    Failed,   // no answer or a server error: try again later
};

struct LearnResult {
    LearnOutcome outcome = LearnOutcome::Failed;
    std::string detail;  // why, for the log
};

boost::asio::awaitable<LearnResult> learn(
    boost::asio::any_io_executor executor,
    const FilterConfig& config,
    bool spam,
    std::string_view message
);

}  // namespace govmail::filter
