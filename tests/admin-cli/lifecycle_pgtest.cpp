// mailadm account retire|delete: a retired account is locked out with its certificates
// revoked, an away reply on and the daemons told to end its sessions; deletion removes every
// trace of the account, including message bodies nobody else shares.

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>

#include "tests/admin-cli/own_database_test.hpp"

namespace govmail::test {
namespace {

using nlohmann::json;

class LifecycleTest : public OwnDatabaseTest {
protected:
    LifecycleTest() {
        for (const auto* address : {kFirst, kSecond}) {
            const auto created = mailadm({"account", "create", address, "--service"});
            EXPECT_EQ(created.exit_code, 0) << created.err;
        }
        listener_ = PQconnectdb(dsn_.c_str());
        PQclear(PQexec(listener_, "LISTEN govmail_account"));
    }
    ~LifecycleTest() override { PQfinish(listener_); }

    std::string account_id(const std::string& address) {
        return sql("SELECT account_id FROM accounts WHERE address = $1", {address});
    }

    // Stores a message with body BODY in ADDRESS's INBOX under UID.
    void deliver(const std::string& address, const std::string& body, const std::string& uid) {
        sql("INSERT INTO message_bodies (body_hash, size, raw, envelope, body_structure, body, "
            "parts)"
            " VALUES (sha256(convert_to($1, 'UTF8')), length($1), convert_to($1, 'UTF8'), '', '', "
            "'', '')"
            " ON CONFLICT DO NOTHING",
            {body});
        sql("INSERT INTO mailbox_messages (account_id, mailbox_id, uid, body_hash, size, modseq)"
            " SELECT account_id, mailbox_id, $2::bigint, sha256(convert_to($3, 'UTF8')), "
            "length($3), 1"
            " FROM mailboxes JOIN accounts USING (account_id) WHERE address = $1 AND name = "
            "'INBOX'",
            {address, uid, body});
    }

    // Payloads of govmail_account notifications that arrive within a few seconds.
    std::vector<std::string> notifications(std::size_t wanted) {
        std::vector<std::string> payloads;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (payloads.size() < wanted && std::chrono::steady_clock::now() < deadline) {
            pollfd fd{PQsocket(listener_), POLLIN, 0};
            ::poll(&fd, 1, 100);
            PQconsumeInput(listener_);
            while (PGnotify* n = PQnotifies(listener_)) {
                payloads.emplace_back(n->extra);
                PQfreemem(n);
            }
        }
        return payloads;
    }

    static constexpr const char* kFirst = "retiring@localhost";
    static constexpr const char* kSecond = "colleague@localhost";
    PGconn* listener_ = nullptr;
};

TEST_F(LifecycleTest, RetireLocksOutRevokesCertificatesAndEndsSessions) {
    sql("INSERT INTO cert_bindings (account_id, issuer, serial, sha256)"
        " SELECT account_id, 'CN=GPKI', '0A', '\\x01'::bytea FROM accounts WHERE address = $1",
        {kFirst});
    const auto retired = mailadm_json({"account", "retire", kFirst});
    EXPECT_EQ(retired["state"], "retired");
    EXPECT_EQ(notifications(1), std::vector<std::string>{account_id(kFirst)});
    EXPECT_EQ(sql("SELECT count(*) FROM cert_bindings WHERE revoked_at IS NULL"), "0");
    EXPECT_EQ(
        sql("SELECT enabled::text || ' ' || scope FROM autoreply_settings WHERE account_id = $1",
            {account_id(kFirst)}),
        "true all"
    );
    EXPECT_NE(
        sql("SELECT subject FROM autoreply_settings WHERE account_id = $1", {account_id(kFirst)})
            .find("퇴직"),
        std::string::npos
    );
    EXPECT_EQ(mailadm({"account", "retire", kFirst}).exit_code, 1);
    EXPECT_EQ(mailadm({"account", "resume", kFirst}).exit_code, 1);
    EXPECT_EQ(mailadm({"account", "retire", "missing@localhost"}).exit_code, 1);
    EXPECT_EQ(mailadm_json({"account", "list", "--state", "retired"}).size(), 1u);
    const auto audit =
        mailadm_json({"audit", "show", "--account", kFirst, "--action", "account.retire"});
    EXPECT_EQ(audit.size(), 1u);
}

TEST_F(LifecycleTest, DeleteRemovesTheAccountAndBodiesNobodyElseUses) {
    deliver(kFirst, "Subject: shared\r\n\r\n공유된 본문\r\n", "1");
    deliver(kSecond, "Subject: shared\r\n\r\n공유된 본문\r\n", "1");
    deliver(kFirst, "Subject: own\r\n\r\n혼자만 가진 본문\r\n", "2");
    sql("INSERT INTO app_passwords (account_id, device, secret_sha256)"
        " SELECT account_id, 'phone', '\\x02'::bytea FROM accounts WHERE address = $1",
        {kFirst});
    const auto id = account_id(kFirst);

    const auto unconfirmed = mailadm({"account", "delete", kFirst});
    EXPECT_EQ(unconfirmed.exit_code, 2);
    EXPECT_NE(unconfirmed.err.find("--yes"), std::string::npos) << unconfirmed.err;
    EXPECT_EQ(account_id(kFirst), id);

    const auto deleted = mailadm_json({"account", "delete", kFirst, "--yes"});
    EXPECT_EQ(deleted["bodies_deleted"], 1);
    EXPECT_EQ(notifications(1), std::vector<std::string>{id});
    EXPECT_EQ(account_id(kFirst), "");
    EXPECT_EQ(sql("SELECT count(*) FROM message_bodies"), "1");
    EXPECT_EQ(sql("SELECT count(*) FROM mailbox_messages"), "1");
    for (const auto* table :
         {"mailboxes", "app_passwords", "autoreply_settings", "cert_bindings"}) {
        EXPECT_EQ(
            sql(std::string("SELECT count(*) FROM ") + table + " WHERE account_id = $1", {id}), "0"
        ) << table;
    }
    EXPECT_EQ(mailadm({"account", "delete", kFirst, "--yes"}).exit_code, 1);
    EXPECT_EQ(
        sql("SELECT detail FROM audit_log WHERE action = 'account.delete' AND account_id = $1",
            {id})
            .rfind(std::string(kFirst) + " deleted", 0),
        0u
    );
}

}  // namespace
}  // namespace govmail::test
