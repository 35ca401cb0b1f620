// imapd when the database connection is lost around the reply to an APPEND's COMMIT (a
// restart ending the backend right after the commit), through a proxy that hangs up in place
// of passing that reply on: the APPEND is answered OK when PostgreSQL says it committed, and
// the session ends with BYE, the APPEND unanswered, when PostgreSQL cannot be asked. Never NO
// for a stored message, which the client would append again.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <memory>
#include <string>

#include "tests/imapd/imap_harness.hpp"
#include "tests/support/commit_reply_cutter.hpp"
#include "tests/support/test_database.hpp"

namespace govmail::test {
namespace {

using namespace std::chrono_literals;

class ImapCommitReplyLost : public ::testing::Test {
protected:
    // The proxy outlives the daemons that reach the database through it.
    CommitReplyCutter cutter{test_dsn(), Cut::BeforeCommitReply};
    ImapHarness harness{storage::PoolOptions{cutter.dsn(), 4, 30s, 1s}};

    // Appends a message with subject SUBJECT over CLIENT as command "ap".
    static void append(TestClient& client, const std::string& subject) {
        const std::string message = "Subject: " + subject + "\r\n\r\nbody\r\n";
        client.send(
            "ap APPEND INBOX {" + std::to_string(message.size()) + "+}\r\n" + message + "\r\n"
        );
    }

    // How many messages ACCOUNT has, counted over a connection of the test's own.
    static long stored(storage::AccountId account) {
        const std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
            PQconnectdb(test_dsn().c_str()), &PQfinish
        );
        const std::string sql =
            "SELECT count(*) FROM mailbox_messages WHERE account_id = " + std::to_string(account);
        PGresult* result = PQexec(conn.get(), sql.c_str());
        const long count =
            PQresultStatus(result) == PGRES_TUPLES_OK ? std::stol(PQgetvalue(result, 0, 0)) : -1;
        PQclear(result);
        return count;
    }
};

TEST_F(ImapCommitReplyLost, AnAppendThatCommittedIsAnsweredOk) {
    const auto account = harness.create_account();
    auto client = logged_in(harness, account);
    const int cuts_before = cutter.cuts();
    append(*client, "committed");
    const auto reply = until_tagged(*client, "ap");
    ASSERT_FALSE(reply.empty());
    EXPECT_TRUE(reply.back().starts_with("ap OK [APPENDUID ")) << reply.back();
    EXPECT_EQ(cutter.cuts(), cuts_before + 1);
    EXPECT_EQ(stored(account.id), 1);
}

TEST_F(ImapCommitReplyLost, AnAppendWhoseOutcomeCannotBeLearnedEndsTheSessionUnanswered) {
    const auto account = harness.create_account();
    auto client = logged_in(harness, account);
    cutter.refuse_connections_after_next_cut();
    append(*client, "in doubt");
    EXPECT_EQ(client->read_line(), "* BYE [UNAVAILABLE] Database connection lost, state unknown");
    EXPECT_EQ(client->read_line(), std::nullopt);  // closed, the APPEND left unanswered
    EXPECT_EQ(stored(account.id), 1);              // it had committed
}

}  // namespace
}  // namespace govmail::test
