#pragma once

// Two IMAP daemons in one test process ("a" and "other"), sharing the test database the way
// two server processes would, each serving a STARTTLS and an implicit-TLS port on loopback
// port 0, with an authenticator that accepts the password "secret" for any existing account;
// and a blocking test client with timeouts.

#include <atomic>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "imapd/lib/server.hpp"
#include "storage/mailstore.hpp"
#include "storage/pg/pool.hpp"

namespace govmail::test {

class ImapHarness {
public:
    // On the test database; or with DATABASE (a DSN through a proxy, a shorter patience).
    ImapHarness();
    explicit ImapHarness(storage::PoolOptions database);
    ~ImapHarness();
    ImapHarness(const ImapHarness&) = delete;
    ImapHarness& operator=(const ImapHarness&) = delete;

    struct Ports {
        std::uint16_t plain = 0;
        std::uint16_t tls = 0;
    };
    // Daemon 0 or 1.
    Ports ports(std::size_t daemon) const { return ports_.at(daemon); }

    storage::Account create_account();
    // Stores RAW in MAILBOX of ACCOUNT as a delivery would (internal date 2023-11-14 22:13:20 UTC).
    void deliver(storage::AccountId account, const std::string& mailbox, const std::string& raw);

private:
    template <class T>
    T call(boost::asio::awaitable<T> task);

    class Authenticator;

    Config config_;
    boost::asio::io_context ioc_;
    boost::asio::ssl::context tls_;
    std::unique_ptr<storage::Pool> pool_;
    std::unique_ptr<storage::Mailstore> store_;
    std::unique_ptr<Authenticator> authenticator_;
    std::vector<std::unique_ptr<imap::ImapService>> services_;
    std::vector<boost::asio::ip::tcp::acceptor> acceptors_;
    std::vector<Ports> ports_;
    std::vector<std::unique_ptr<boost::asio::cancellation_signal>> relay_stops_;
    std::atomic<int> relays_running_{0};
    std::thread thread_;
};

// A client connection driven from the test thread.
class TestClient {
public:
    TestClient(std::uint16_t port, bool tls);
    ~TestClient();
    TestClient(const TestClient&) = delete;
    TestClient& operator=(const TestClient&) = delete;

    void send(std::string_view data);
    // The next line without CRLF, or nullopt after TIMEOUT or at EOF.
    std::optional<std::string> read_line(
        std::chrono::milliseconds timeout = std::chrono::seconds(5)
    );
    void start_tls();

private:
    bool read_more(std::chrono::milliseconds timeout);

    boost::asio::io_context ioc_;
    boost::asio::ssl::context context_;
    boost::asio::ip::tcp::socket socket_;
    std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
    std::string buffer_;
};

// The lines CLIENT receives up to and including the one tagged TAG (or until it times out).
std::vector<std::string> until_tagged(TestClient& client, const std::string& tag);

// A client on daemon 0's TLS port, logged in as ACCOUNT.
std::unique_ptr<TestClient> logged_in(ImapHarness& harness, const storage::Account& account);

}  // namespace govmail::test
