// When the selected view reads storage: FETCH, STORE, SEARCH and COPY only after a change was
// announced, NOOP (what clients poll with) always. Shown with the messages table locked by
// another connection, so that any statement reading it waits.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

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
    EXPECT_EQ(client.read_line(2s), "* 1 FETCH (FLAGS (\\Recent))");
    EXPECT_EQ(client.read_line(2s), "a4 OK FETCH completed");
    client.send("a5 NOOP\r\n");
    EXPECT_EQ(client.read_line(500ms), std::nullopt);  // NOOP reads storage: it waits
    run_sql(locker.get(), "COMMIT");
    EXPECT_EQ(client.read_line(), "a5 OK NOOP completed");
}

// The lines up to and including the one tagged TAG.
// A SELECT of the mailbox already selected catches the view up with what changed instead of
// reading every message again; what it tells the client is what a first SELECT tells.
TEST(ImapCatchup, SelectingTheSameMailboxAgainAnswersAsAFirstSelect) {
    ImapHarness harness;
    const auto account = harness.create_account();
    for (const char* subject : {"one", "two", "three"}) {
        harness.deliver(account.id, "INBOX", std::string("Subject: ") + subject + "\r\n\r\nb\r\n");
    }
    auto again = logged_in(harness, account);
    again->send("s1 SELECT INBOX\r\n");
    until_tagged(*again, "s1");

    // Another session changes flags, expunges a message, and one more is delivered.
    auto other = logged_in(harness, account);
    other->send(
        "o1 SELECT INBOX\r\no2 STORE 1 +FLAGS (\\Seen)\r\no3 STORE 2 +FLAGS (\\Deleted)\r\n"
        "o4 EXPUNGE\r\n"
    );
    until_tagged(*other, "o4");
    harness.deliver(account.id, "INBOX", "Subject: four\r\n\r\nb\r\n");

    again->send("s2 SELECT INBOX\r\ns3 FETCH 1:* (UID FLAGS)\r\n");
    auto reselected = until_tagged(*again, "s2");
    const auto fetched_again = until_tagged(*again, "s3");
    auto first = logged_in(harness, account);
    first->send("f1 SELECT INBOX\r\nf2 FETCH 1:* (UID FLAGS)\r\n");
    auto selected_first = until_tagged(*first, "f1");
    const auto fetched_first = until_tagged(*first, "f2");

    ASSERT_FALSE(reselected.empty());
    EXPECT_EQ(reselected.front(), "* OK [CLOSED] Previous mailbox closed");
    reselected.erase(reselected.begin());
    reselected.back().replace(0, 2, "f1");
    // \Recent: message 4 is recent to the session that selected first after it arrived.
    const auto take_recent = [](std::vector<std::string>& lines) {
        const auto it =
            std::ranges::find_if(lines, [](const auto& l) { return l.ends_with(" RECENT"); });
        const auto line = it == lines.end() ? "" : *it;
        if (it != lines.end()) {
            lines.erase(it);
        }
        return line;
    };
    EXPECT_EQ(take_recent(reselected), "* 1 RECENT");
    EXPECT_EQ(take_recent(selected_first), "* 0 RECENT");
    EXPECT_EQ(reselected, selected_first);
    EXPECT_NE(std::find(reselected.begin(), reselected.end(), "* 3 EXISTS"), reselected.end());
    EXPECT_NE(
        std::find(reselected.begin(), reselected.end(), "* OK [UNSEEN 2] First unseen"),
        reselected.end()
    );
    ASSERT_EQ(fetched_again.size(), 4u);
    EXPECT_EQ(fetched_again[0], "* 1 FETCH (UID 1 FLAGS (\\Seen))");
    // The message that arrived in between is recent to the session that selected again only.
    EXPECT_EQ(fetched_again[2], "* 3 FETCH (UID 4 FLAGS (\\Recent))");
    EXPECT_EQ(fetched_first[2], "* 3 FETCH (UID 4 FLAGS ())");
    EXPECT_EQ(
        std::vector(fetched_again.begin(), fetched_again.begin() + 2),
        std::vector(fetched_first.begin(), fetched_first.begin() + 2)
    );
}

}  // namespace
}  // namespace govmail::test
