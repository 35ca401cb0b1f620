#include "tests/imapd/imap_harness.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "common/dev_certificates.hpp"
#include "mime/parse.hpp"
#include "runtime/listener.hpp"
#include "runtime/tls.hpp"
#include "tests/support/set_up_audit.hpp"
#include "tests/support/test_database.hpp"

namespace govmail::test {
namespace asio = boost::asio;

namespace {

constexpr std::int64_t kDeliveryDate = 1'700'000'000;

std::filesystem::path certificate_dir() {
    return std::filesystem::temp_directory_path() /
           ("govmail-imapd-test-" + std::to_string(::getpid()));
}

asio::ssl::context server_tls() {
    const auto paths = ensure_dev_certificates(certificate_dir(), "localhost");
    return make_server_tls_context(TlsFiles{paths.server_certificate, paths.server_key, {}});
}

std::uint16_t listen(
    asio::io_context& ioc,
    std::vector<asio::ip::tcp::acceptor>& acceptors,
    ConnectionLimiter& limiter,
    imap::ImapService& service,
    imap::ListenerKind kind
) {
    auto& acceptor = acceptors.emplace_back(bind_listener(ioc, ListenerConfig{"127.0.0.1", 0}));
    asio::co_spawn(
        ioc,
        accept_loop(
            acceptor, limiter, Refusal{"* BYE Too many connections\r\n"},
            [&service, kind](SessionStream s) {
                return imap::serve_imap(
                    std::make_unique<SessionStream>(std::move(s)), kind, service
                );
            }
        ),
        asio::detached
    );
    return acceptor.local_endpoint().port();
}

ConnectionLimiter& limiter() {
    static ConnectionLimiter instance(100);
    return instance;
}

}  // namespace

class ImapHarness::Authenticator final : public auth::Authenticator {
public:
    explicit Authenticator(storage::Mailstore& store) : store_(store) {}

    asio::awaitable<auth::LoginResult> login(const auth::LoginAttempt& attempt) override {
        auth::LoginResult result;
        result.failure_text = "Authentication failed";
        if (attempt.method != auth::Method::Password || attempt.secret != "secret") {
            co_return result;
        }
        auto account = co_await store_.find_account(attempt.user);
        if (account) {
            result.account = *account;
        }
        co_return result;
    }

private:
    storage::Mailstore& store_;
};

ImapHarness::ImapHarness()
    : ImapHarness(storage::PoolOptions{test_dsn(), 4, std::chrono::seconds(30)}) {}

ImapHarness::ImapHarness(storage::PoolOptions database) : tls_(server_tls()) {
    config_.imap.login_timeout = std::chrono::seconds(20);
    config_.imap.idle_timeout = std::chrono::seconds(60);
    pool_ = std::make_unique<storage::Pool>(ioc_.get_executor(), std::move(database));
    store_ = std::make_unique<storage::Mailstore>(*pool_);
    authenticator_ = std::make_unique<Authenticator>(*store_);
    acceptors_.reserve(4);
    for (int i = 0; i < 2; ++i) {
        auto& service = *services_.emplace_back(std::make_unique<imap::ImapService>(
            config_, *pool_, tls_, authenticator_.get(), [] { return kDeliveryDate; }
        ));
        auto& stop = *relay_stops_.emplace_back(std::make_unique<asio::cancellation_signal>());
        ++relays_running_;
        asio::co_spawn(
            ioc_, service.relay_changes(),
            asio::bind_cancellation_slot(
                stop.slot(), [this](const std::exception_ptr&) { --relays_running_; }
            )
        );
        Ports p;
        p.plain = listen(ioc_, acceptors_, limiter(), service, imap::ListenerKind::Imap);
        p.tls = listen(ioc_, acceptors_, limiter(), service, imap::ListenerKind::Imaps);
        ports_.push_back(p);
    }
    thread_ = std::thread([this] {
        auto guard = asio::make_work_guard(ioc_);
        ioc_.run();
    });
}

ImapHarness::~ImapHarness() {
    // Every coroutine ends before the pool and the io_context go away.
    asio::post(ioc_, [this] {
        for (auto& acceptor : acceptors_) {
            acceptor.close();
        }
        for (auto& service : services_) {
            service->shutdown();
        }
        for (auto& stop : relay_stops_) {
            stop->emit(asio::cancellation_type::terminal);
        }
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((limiter().total() != 0 || relays_running_ != 0) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ioc_.stop();
    thread_.join();
    std::error_code ignored;
    std::filesystem::remove_all(certificate_dir(), ignored);
}

template <class T>
T ImapHarness::call(asio::awaitable<T> task) {
    auto future = asio::co_spawn(ioc_, std::move(task), asio::use_future);
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
        throw std::runtime_error("storage call timed out");
    }
    return future.get();
}

storage::Account ImapHarness::create_account() {
    auto account = call(store_->create_account(
        storage::NewAccount{unique_address("imap"), "Test User", false},
        set_up_audit<storage::Account>()
    ));
    if (!account) {
        throw std::runtime_error("create_account: " + account.error().message());
    }
    return *account;
}

void ImapHarness::deliver(
    storage::AccountId account, const std::string& mailbox, const std::string& raw
) {
    const auto parsed = mime::parse(raw);
    const storage::DeliveryTarget target{account, mailbox};
    auto delivered = call(store_->deliver(
        storage::IncomingMessage{raw, parsed, kDeliveryDate, {}}, std::span(&target, 1)
    ));
    if (!delivered) {
        throw std::runtime_error("deliver: " + delivered.error().message());
    }
}

TestClient::TestClient(std::uint16_t port, bool tls)
    : context_(asio::ssl::context::tls_client), socket_(ioc_) {
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    if (tls) {
        start_tls();
    }
}

TestClient::~TestClient() {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void TestClient::start_tls() {
    context_.set_verify_mode(asio::ssl::verify_none);
    tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, context_);
    tls_->handshake(asio::ssl::stream_base::client);
}

void TestClient::send(std::string_view data) {
    if (tls_) {
        asio::write(*tls_, asio::buffer(data));
    } else {
        asio::write(socket_, asio::buffer(data));
    }
}

bool TestClient::read_more(std::chrono::milliseconds timeout) {
    std::array<char, 4096> chunk{};
    std::optional<std::size_t> got;
    auto handler = [&](const boost::system::error_code& ec, std::size_t n) { got = ec ? 0 : n; };
    if (tls_) {
        tls_->async_read_some(asio::buffer(chunk), handler);
    } else {
        socket_.async_read_some(asio::buffer(chunk), handler);
    }
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!got) {
        socket_.cancel();
        ioc_.restart();
        ioc_.run();
        return false;
    }
    buffer_.append(chunk.data(), *got);
    return *got > 0;
}

std::optional<std::string> TestClient::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (const auto end = buffer_.find("\r\n"); end != std::string::npos) {
            std::string line = buffer_.substr(0, end);
            buffer_.erase(0, end + 2);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()
        );
        if (left.count() <= 0 || !read_more(left)) {
            return std::nullopt;
        }
    }
}

std::vector<std::string> until_tagged(TestClient& client, const std::string& tag) {
    std::vector<std::string> lines;
    for (auto line = client.read_line(); line; line = client.read_line()) {
        lines.push_back(*line);
        if (line->rfind(tag + " ", 0) == 0) {
            break;
        }
    }
    return lines;
}

std::unique_ptr<TestClient> logged_in(ImapHarness& harness, const storage::Account& account) {
    auto client = std::make_unique<TestClient>(harness.ports(0).tls, true);
    EXPECT_TRUE(client->read_line());  // greeting
    client->send("l LOGIN " + account.address + " secret\r\n");
    until_tagged(*client, "l");
    return client;
}

}  // namespace govmail::test
