// LIST and LSUB write a long answer in chunks (imapd/cmd/chunked_output.hpp) instead of
// building it whole: over an account with 1,000 mailboxes of 200-byte names (about 230 KB of
// answer) the handlers flush several times, and the queue never holds much more than one
// chunk. The handlers run against the real store, on a session whose connection records each
// flush.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "imapd/cmd/chunked_output.hpp"
#include "imapd/cmd/handlers.hpp"
#include "storage/mailstore.hpp"
#include "storage/pg/pool.hpp"
#include "tests/support/async.hpp"
#include "tests/support/set_up_audit.hpp"
#include "tests/support/test_database.hpp"

namespace govmail::test {
namespace {

constexpr std::size_t kMailboxes = 1'000;
constexpr std::size_t kNameBytes = 200;

// A connection that takes whatever is queued at each flush and remembers how much it was.
class RecordingIo final : public imap::SessionIo {
public:
    imap::Session* session = nullptr;
    std::vector<std::size_t> flushes;  // bytes queued at each flush
    std::string written;

    boost::asio::awaitable<bool> flush() override {
        flushes.push_back(session->out.size());
        written += session->out;
        session->out.clear();
        co_return true;
    }
    boost::asio::awaitable<std::optional<std::string>> read_line() override {
        co_return std::nullopt;
    }
    boost::asio::awaitable<bool> start_tls() override { co_return false; }
    boost::asio::awaitable<imap::IdleEvent> idle_wait() override { co_return imap::IdleEvent{}; }
    void follow(std::optional<std::pair<storage::AccountId, storage::MailboxId>>) override {}
    bool take_changes() override { return false; }
    bool tls_active() const override { return false; }
    SSL* tls_handle() const override { return nullptr; }
    boost::asio::ip::address peer() const override { return {}; }
};

class ListStreaming : public ::testing::Test {
protected:
    boost::asio::io_context ioc;
    storage::Pool pool{ioc.get_executor(), storage::PoolOptions{test_dsn(), 2}};
    storage::Mailstore store{pool};
    Config config;
    imap::ServerContext context{config, store, nullptr, [] { return 0; }};
    RecordingIo io;
    imap::Session session{context, io, "list-stream"};
    std::size_t mailboxes_at_creation = 0;  // INBOX and the special-use ones

    void SetUp() override {
        io.session = &session;
        auto account =
            run(ioc, store.create_account(
                         storage::NewAccount{unique_address(), "", false},
                         set_up_audit<storage::Account>()
                     ));
        ASSERT_TRUE(account);
        session.account = *account;
        session.state = imap::State::Authenticated;
        const auto standard = run(ioc, store.list_mailboxes(account->id));
        ASSERT_TRUE(standard);
        mailboxes_at_creation = standard->size();
        for (std::size_t i = 0; i < kMailboxes; ++i) {
            std::string name = "box-" + std::to_string(i) + "-";
            name.resize(kNameBytes, 'x');
            ASSERT_TRUE(run(ioc, store.create_mailbox(account->id, name, kMailboxes * 2)));
        }
    }

    // The whole answer: what was flushed and what is still queued.
    std::string answer() const { return io.written + session.out; }
};

std::size_t count_lines(std::string_view text, std::string_view prefix) {
    std::size_t count = 0;
    for (std::size_t at = text.find(prefix); at != std::string_view::npos;
         at = text.find(prefix, at + 1)) {
        ++count;
    }
    return count;
}

TEST_F(ListStreaming, ListIsWrittenInChunks) {
    const auto reply = run(ioc, imap::handle_list(session, imap::List{"", {"*"}, {}, {}}));
    EXPECT_EQ(reply.text, "LIST completed");
    ASSERT_GE(io.flushes.size(), 3U);
    EXPECT_LT(*std::ranges::max_element(io.flushes), imap::kFlushAt + 1'000);
    EXPECT_EQ(count_lines(answer(), "* LIST "), kMailboxes + mailboxes_at_creation);
}

TEST_F(ListStreaming, LsubIsWrittenInChunks) {
    const auto reply = run(ioc, imap::handle_lsub(session, imap::Lsub{"", "box-*"}));
    EXPECT_EQ(reply.text, "LSUB completed");
    ASSERT_GE(io.flushes.size(), 3U);
    EXPECT_LT(*std::ranges::max_element(io.flushes), imap::kFlushAt + 1'000);
    EXPECT_EQ(count_lines(answer(), "* LSUB "), kMailboxes);
}

}  // namespace
}  // namespace govmail::test
