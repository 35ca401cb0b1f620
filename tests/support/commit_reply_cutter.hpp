#pragma once

// A Unix-socket proxy in front of the test cluster that passes the PostgreSQL protocol both
// ways until the server's reply to COMMIT (its CommandComplete) comes by, then hangs up on both
// sides, as when a database restart ends a backend right after a commit: before passing that
// reply on (the client never hears that the transaction committed), or right after it (the
// client hears it, then loses the connection before the end of its pipeline). It runs on a
// thread of its own, so the code under test may run on any.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <filesystem>
#include <ostream>
#include <string>
#include <thread>

namespace govmail::test {

enum class Cut { BeforeCommitReply, AfterCommitReply };

// For test names and messages.
inline void PrintTo(Cut where, std::ostream* out) {
    *out << (where == Cut::BeforeCommitReply ? "BeforeCommitReply" : "AfterCommitReply");
}

class CommitReplyCutter {
public:
    // Proxies the cluster that DSN reaches over its Unix socket.
    CommitReplyCutter(const std::string& dsn, Cut where);
    ~CommitReplyCutter();
    CommitReplyCutter(const CommitReplyCutter&) = delete;
    CommitReplyCutter& operator=(const CommitReplyCutter&) = delete;

    // The DSN, reaching the cluster through this proxy.
    const std::string& dsn() const { return dsn_; }
    // How many COMMIT replies were cut.
    int cuts() const { return cuts_; }
    // Once the next COMMIT reply is cut, connecting through the proxy fails (the database is
    // out of reach, as during a restart); the connections already made go on.
    void refuse_connections_after_next_cut() { refuse_after_cut_ = true; }

private:
    boost::asio::awaitable<void> accept_clients();
    boost::asio::awaitable<void> relay(boost::asio::local::stream_protocol::socket client);

    Cut where_;
    std::filesystem::path dir_;
    std::string dsn_;
    boost::asio::local::stream_protocol::endpoint upstream_;
    boost::asio::io_context ioc_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
    std::atomic<int> cuts_ = 0;
    std::atomic<bool> refuse_after_cut_ = false;
    std::thread thread_;
};

}  // namespace govmail::test
