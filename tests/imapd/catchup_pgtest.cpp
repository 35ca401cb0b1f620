// When the selected view reads storage: FETCH, STORE, SEARCH and COPY only after a change was
// announced, NOOP (what clients poll with) always. Shown with the messages table locked by
// another connection, so that any statement reading it waits.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <memory>

#include "tests/imapd/imap_harness.hpp"
#include "tests/support/test_database.hpp"

namespace govmail::test {
namespace {

using namespace std::chrono_literals;

struct PgFinish {
    void operator()(PGconn* conn) const { PQfinish(conn); }
};

void run_sql(PGconn* conn, const char* sql) {
    PGresult* result = PQexec(conn, sql);
    EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << sql << ": " << PQerrorMessage(conn);
    PQclear(result);
}

TEST(ImapCatchup, FetchAnswersFromTheViewUntilAChangeIsAnnounced) {
    ImapHarness harness;
    const auto account = harness.create_account();
    harness.deliver(account.id, "INBOX", "Subject: one\r\n\r\nbody\r\n");
    TestClient client(harness.ports(0).tls, true);
    ASSERT_TRUE(client.read_line());  // greeting
    client.send("a1 LOGIN " + account.address + " secret\r\na2 SELECT INBOX\r\n");
    for (auto line = client.read_line(); line && line->rfind("a2 ", 0) != 0;
         line = client.read_line()) {
    }
    // The delivery's notification may arrive after SELECT: let NOOP take it.
    std::this_thread::sleep_for(300ms);
    client.send("a3 NOOP\r\n");
    ASSERT_EQ(client.read_line(), "a3 OK NOOP completed");

    const std::unique_ptr<PGconn, PgFinish> locker(PQconnectdb(test_dsn().c_str()));
    ASSERT_EQ(PQstatus(locker.get()), CONNECTION_OK) << PQerrorMessage(locker.get());
    run_sql(locker.get(), "BEGIN");
    run_sql(locker.get(), "LOCK TABLE mailbox_messages IN ACCESS EXCLUSIVE MODE");
    client.send("a4 FETCH 1:* (FLAGS)\r\n");
    EXPECT_EQ(client.read_line(2s), "* 1 FETCH (FLAGS ())");
    EXPECT_EQ(client.read_line(2s), "a4 OK FETCH completed");
    client.send("a5 NOOP\r\n");
    EXPECT_EQ(client.read_line(500ms), std::nullopt);  // NOOP reads storage: it waits
    run_sql(locker.get(), "COMMIT");
    EXPECT_EQ(client.read_line(), "a5 OK NOOP completed");
}

}  // namespace
}  // namespace govmail::test
