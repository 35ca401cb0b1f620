#pragma once

// The HTTP client to rspamd's normal worker: POST /checkv2 with the message as the body and
// the envelope as header fields (rspamd's protocol), over kept-alive connections, each scan
// within one deadline (connect, send, answer). One client per io_context: it is used by the
// sessions of that context only, so its connection pool needs no lock. rspamd is a trusted
// local service, but its answer is still bounded (filter/verdict.hpp).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "filter/scan_request.hpp"
#include "filter/verdict.hpp"

namespace govmail::filter {

// The verdict, or why there is none (for the log): unreachable, timed out, an HTTP error,
// an answer that is not a verdict.
using ScanResult = boost::system::result<Verdict, std::string>;

class RspamdClient {
public:
    // Throws std::runtime_error when CONFIG's URL is not an http:// URL.
    RspamdClient(boost::asio::any_io_executor executor, const FilterConfig& config);

    boost::asio::awaitable<ScanResult> check(const ScanRequest& request);

private:
    using Stream = boost::beast::tcp_stream;
    using Deadline = std::chrono::steady_clock::time_point;

    // A kept-alive connection, or a new one (an error text when it cannot connect).
    boost::asio::awaitable<boost::system::result<std::unique_ptr<Stream>, std::string>> connect(
        Deadline deadline
    );
    void keep(std::unique_ptr<Stream> stream);

    boost::asio::any_io_executor executor_;
    std::string host_;
    std::string port_;
    std::string target_;  // ".../checkv2"
    std::chrono::milliseconds timeout_;
    std::size_t max_idle_;
    std::vector<std::unique_ptr<Stream>> idle_;
};

}  // namespace govmail::filter
