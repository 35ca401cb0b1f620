#include "tests/support/commit_reply_cutter.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <stdexcept>

namespace govmail::test {
namespace asio = boost::asio;
using asio::local::stream_protocol;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// The value of KEYWORD in the connection string DSN.
std::string conninfo_value(const std::string& dsn, std::string_view keyword) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
    if (options == nullptr) {
        std::string message = error != nullptr ? error : "out of memory";
        PQfreemem(error);
        throw std::runtime_error("unreadable DSN: " + message);
    }
    std::string value;
    for (auto* option = options; option->keyword != nullptr; ++option) {
        if (keyword == option->keyword && option->val != nullptr) {
            value = option->val;
        }
    }
    PQconninfoFree(options);
    return value;
}

// Both ends of one proxied connection; closing it ends both directions.
struct Link {
    stream_protocol::socket client;
    stream_protocol::socket server;

    void close() {
        boost::system::error_code ignored;
        client.close(ignored);
        server.close(ignored);
    }
};

asio::awaitable<void> pass_requests(std::shared_ptr<Link> link) {
    std::array<char, 16384> chunk{};
    for (;;) {
        auto [read_error, n] = co_await link->client.async_read_some(asio::buffer(chunk), kNoThrow);
        if (read_error) {
            break;
        }
        auto [write_error, written] =
            co_await asio::async_write(link->server, asio::buffer(chunk, n), kNoThrow);
        if (write_error) {
            break;
        }
    }
    link->close();
}

// The length of the first whole backend message in BYTES (type byte, then a 32-bit big-endian
// length that counts itself), or 0 when it has not all arrived.
std::size_t whole_message(std::string_view bytes) {
    if (bytes.size() < 5) {
        return 0;
    }
    std::size_t length = 0;
    for (int i = 1; i <= 4; ++i) {
        length = length << 8 | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    }
    return bytes.size() >= 1 + length ? 1 + length : 0;
}

bool is_commit_reply(std::string_view message) {
    return message[0] == 'C' && message.substr(5).starts_with("COMMIT");
}

}  // namespace

CommitReplyCutter::CommitReplyCutter(const std::string& dsn, Cut where)
    : where_(where),
      dir_(
          std::filesystem::temp_directory_path() /
          ("govmail-cutter-" + std::to_string(::getpid()) + "-" +
           std::to_string(reinterpret_cast<std::uintptr_t>(this)))
      ),
      upstream_(conninfo_value(dsn, "host") + "/.s.PGSQL." + conninfo_value(dsn, "port")),
      acceptor_(ioc_) {
    std::filesystem::create_directories(dir_);
    const auto socket_path = dir_ / (".s.PGSQL." + conninfo_value(dsn, "port"));
    acceptor_.open();
    acceptor_.bind(stream_protocol::endpoint(socket_path.string()));
    acceptor_.listen();
    dsn_ = dsn + " host='" + dir_.string() + "'";  // a later keyword overrides an earlier one
    asio::co_spawn(ioc_, accept_clients(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
}

CommitReplyCutter::~CommitReplyCutter() {
    ioc_.stop();
    thread_.join();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

asio::awaitable<void> CommitReplyCutter::accept_clients() {
    for (;;) {
        auto [error, client] = co_await acceptor_.async_accept(kNoThrow);
        if (error) {
            co_return;  // closed after a cut
        }
        asio::co_spawn(acceptor_.get_executor(), relay(std::move(client)), asio::detached);
    }
}

asio::awaitable<void> CommitReplyCutter::relay(stream_protocol::socket client) {
    const auto ex = client.get_executor();
    auto link = std::make_shared<Link>(Link{std::move(client), stream_protocol::socket(ex)});
    auto [connect_error] = co_await link->server.async_connect(upstream_, kNoThrow);
    if (connect_error) {
        link->close();
        co_return;
    }
    asio::co_spawn(ex, pass_requests(link), asio::detached);
    std::string pending;
    std::array<char, 16384> chunk{};
    for (;;) {
        auto [read_error, n] = co_await link->server.async_read_some(asio::buffer(chunk), kNoThrow);
        if (read_error) {
            break;
        }
        pending.append(chunk.data(), n);
        std::size_t passed = 0;
        bool cut = false;
        while (const auto length = whole_message(std::string_view(pending).substr(passed))) {
            cut = is_commit_reply(std::string_view(pending).substr(passed, length));
            if (cut && where_ == Cut::BeforeCommitReply) {
                break;
            }
            passed += length;
            if (cut) {
                break;
            }
        }
        auto [write_error, written] = co_await asio::async_write(
            link->client, asio::buffer(pending.data(), passed), kNoThrow
        );
        if (cut) {
            ++cuts_;
            if (refuse_after_cut_) {
                boost::system::error_code ignored;
                acceptor_.close(ignored);
            }
        }
        if (cut || write_error) {
            break;
        }
        pending.erase(0, passed);
    }
    link->close();
}

}  // namespace govmail::test
