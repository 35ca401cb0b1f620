// mailadm export request|run|fetch|list|delete|cleanup against a real database: the archive
// unzip accepts holds every message byte for byte under safe UTF-8 folder names, with a
// manifest of sizes and SHA-256; links work for their account until expiry or deletion and
// for nobody else; locked and retired accounts are refused; everything is audited.

#include <gtest/gtest.h>

#include "common/hex.hpp"
#include "tests/admin-cli/own_database_test.hpp"

namespace govmail::test {
namespace {

using nlohmann::json;

// Reads an archive with Python's zipfile: every entry's name, UTF-8 flag and content (hex).
constexpr const char* kDumpZip = R"py(
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps({i.filename: {"utf8": bool(i.flag_bits & 0x800),
                                   "hex": z.read(i).hex()} for i in z.infolist()}))
)py";

class ExportCommandsTest : public OwnDatabaseTest {
protected:
    ExportCommandsTest() {
        configure("[server]\nvar_dir = " + (dir_ / "var").string() + "\n");
        for (const auto* address : {kOwner, kOther}) {
            const auto created = mailadm({"account", "create", address, "--service"});
            EXPECT_EQ(created.exit_code, 0) << created.err;
        }
    }

    // Stores a message with RAW in MAILBOX of ACCOUNT (created when missing) under UID.
    void deliver(const std::string& account, const std::string& mailbox, const std::string& raw) {
        sql("INSERT INTO mailboxes (account_id, name) SELECT account_id, $2 FROM accounts"
            " WHERE address = $1 ON CONFLICT DO NOTHING",
            {account, mailbox});
        sql("INSERT INTO message_bodies (body_hash, size, raw, envelope, body_structure, body,"
            " parts) VALUES (sha256(convert_to($1, 'UTF8')), octet_length(convert_to($1, 'UTF8')),"
            " convert_to($1, 'UTF8'), '', '', '', '') ON CONFLICT DO NOTHING",
            {raw});
        sql("WITH b AS (UPDATE mailboxes SET uidnext = uidnext + 1"
            " WHERE account_id = (SELECT account_id FROM accounts WHERE address = $1)"
            " AND name = $2 RETURNING account_id, mailbox_id, uidnext - 1 AS uid)"
            " INSERT INTO mailbox_messages (account_id, mailbox_id, uid, body_hash, size, modseq)"
            " SELECT account_id, mailbox_id, uid, sha256(convert_to($3, 'UTF8')),"
            " octet_length(convert_to($3, 'UTF8')), 1 FROM b",
            {account, mailbox, raw});
    }

    std::string request(const std::string& account, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"export", "request", "--account", account};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto requested = mailadm_json(args);
        return requested["token"].get<std::string>();
    }

    ProcessRun fetch(const std::string& token, const std::string& account, const std::string& out) {
        return mailadm({"export", "fetch", token, "--account", account, "--output", out});
    }

    json dump(const std::filesystem::path& zip) {
        const auto script = write_file("dump.py", kDumpZip);
        const auto run = run_process({"python3", script.string(), zip.string()}, "", dir_);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return json::parse(run.out);
    }

    static constexpr const char* kOwner = "owner@localhost";
    static constexpr const char* kOther = "other@localhost";
};

TEST_F(ExportCommandsTest, ArchiveHoldsEveryMessageUnderSafeNames) {
    const std::string first = "Subject: =?UTF-8?B?7JWI64WV?=\r\n\r\n안녕하세요\r\n";
    const std::string second = "Subject: two\r\n\r\nline\r\n.\r\n";
    deliver(kOwner, "INBOX", first);
    deliver(kOwner, "INBOX", second);
    deliver(kOwner, "보낸편지함/2026년", first);
    deliver(kOwner, "../../etc", "Subject: a\r\n\r\na\r\n");
    deliver(kOwner, "a/../../b", "Subject: b\r\n\r\nb\r\n");
    deliver(kOwner, "x\\y:z*?", "Subject: c\r\n\r\nc\r\n");
    deliver(kOwner, "CON", "Subject: d\r\n\r\nd\r\n");
    deliver(kOwner, "inbox", "Subject: e\r\n\r\ne\r\n");
    deliver(kOwner, "manifest.json", "Subject: f\r\n\r\nf\r\n");
    deliver(kOther, "INBOX", "Subject: not yours\r\n\r\nx\r\n");

    const auto token = request(kOwner);
    EXPECT_EQ(token.size(), 64U);
    // Only the hash is stored.
    EXPECT_EQ(sql_rows("SELECT 1 FROM exports WHERE token_sha256 = sha256($1::bytea)", {token}), 1);
    EXPECT_EQ(sql_rows("SELECT 1 FROM exports WHERE encode(token_sha256, 'hex') = $1", {token}), 0);

    const auto pending = fetch(token, kOwner, (dir_ / "early.zip").string());
    EXPECT_EQ(pending.exit_code, 1) << pending.out;

    const auto round = mailadm_json({"export", "run"});
    EXPECT_EQ(round["built"], 1);
    EXPECT_EQ(round["failed"], 0);

    const auto zip = dir_ / "backup.zip";
    const auto fetched = fetch(token, kOwner, zip.string());
    ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
    const auto tested = run_process({"unzip", "-t", zip.string()}, "", dir_);
    EXPECT_EQ(tested.exit_code, 0) << tested.out << tested.err;

    const auto entries = dump(zip);
    std::vector<std::string> names;
    for (const auto& [name, entry] : entries.items()) {
        names.push_back(name);
        EXPECT_EQ(name.find(".."), std::string::npos) << name;
        EXPECT_EQ(name.find_first_of("\\:*?<>|\""), std::string::npos) << name;
        EXPECT_NE(name.front(), '/') << name;
    }
    EXPECT_EQ(entries["INBOX/1.eml"]["hex"], hex(first));
    EXPECT_EQ(entries["INBOX/2.eml"]["hex"], hex(second));
    EXPECT_EQ(entries["보낸편지함/2026년/1.eml"]["hex"], hex(first));
    EXPECT_TRUE(entries["보낸편지함/2026년/1.eml"]["utf8"].get<bool>());
    EXPECT_EQ(entries["_/_/etc/1.eml"]["hex"], hex("Subject: a\r\n\r\na\r\n"));
    EXPECT_EQ(entries["a/_/_/b/1.eml"]["hex"], hex("Subject: b\r\n\r\nb\r\n"));
    EXPECT_EQ(entries["x_y_z__/1.eml"]["hex"], hex("Subject: c\r\n\r\nc\r\n"));
    EXPECT_EQ(entries["_CON/1.eml"]["hex"], hex("Subject: d\r\n\r\nd\r\n"));
    // "inbox" and "INBOX" are one folder on Windows and macOS: the second gets a suffix.
    EXPECT_TRUE(entries.contains("inbox (2)/1.eml") || entries.contains("INBOX (2)/1.eml"));
    EXPECT_TRUE(entries.contains("manifest.json (2)/1.eml"));
    for (const auto& [name, entry] : entries.items()) {
        EXPECT_EQ(entry["hex"].get<std::string>().find(hex("not yours")), std::string::npos);
    }

    // The manifest: counts, sizes and SHA-256 of every message file.
    std::string manifest_text;
    const auto manifest_hex = entries["manifest.json"]["hex"].get<std::string>();
    for (std::size_t i = 0; i + 1 < manifest_hex.size(); i += 2) {
        manifest_text += static_cast<char>(std::stoi(manifest_hex.substr(i, 2), nullptr, 16));
    }
    const auto manifest = json::parse(manifest_text);
    EXPECT_EQ(manifest["account"], kOwner);
    EXPECT_EQ(manifest["messages"], 9);
    EXPECT_EQ(manifest["files"].size(), 9U);
    for (const auto& file : manifest["files"]) {
        if (file["path"] == "INBOX/1.eml") {
            EXPECT_EQ(file["size"], first.size());
            EXPECT_EQ(
                file["sha256"], sql("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", {first})
            );
        }
    }

    // Audited: the request and the fetch.
    EXPECT_EQ(
        sql_rows("SELECT 1 FROM audit_log WHERE action IN ('export.request', 'export.fetch')"), 3
    );
}

TEST_F(ExportCommandsTest, OneMailboxOnly) {
    deliver(kOwner, "INBOX", "Subject: in\r\n\r\nin\r\n");
    deliver(kOwner, "업무", "Subject: work\r\n\r\nwork\r\n");
    const auto token = request(kOwner, {"--mailbox", "업무"});
    mailadm_json({"export", "run"});
    const auto zip = dir_ / "one.zip";
    ASSERT_EQ(fetch(token, kOwner, zip.string()).exit_code, 0);
    const auto entries = dump(zip);
    EXPECT_TRUE(entries.contains("업무/1.eml"));
    EXPECT_FALSE(entries.contains("INBOX/1.eml"));

    const auto missing = mailadm({"export", "request", "--account", kOwner, "--mailbox", "없음"});
    EXPECT_EQ(missing.exit_code, 1) << missing.out;
}

TEST_F(ExportCommandsTest, LinkWorksOnlyForItsAccountUntilExpiryOrDeletion) {
    deliver(kOwner, "INBOX", "Subject: x\r\n\r\nx\r\n");
    const auto token = request(kOwner);
    mailadm_json({"export", "run"});
    const auto out = (dir_ / "x.zip").string();

    EXPECT_EQ(fetch(token, kOwner, out).exit_code, 0);
    EXPECT_EQ(fetch(token, kOther, out).exit_code, 1);
    EXPECT_EQ(fetch(std::string(64, '0'), kOwner, out).exit_code, 1);
    EXPECT_EQ(fetch("../../etc/passwd", kOwner, out).exit_code, 2);

    const auto listed = mailadm_json({"export", "list", "--account", kOwner});
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0]["state"], "ready");
    const auto id = listed[0]["id"].get<std::int64_t>();
    EXPECT_EQ(mailadm_json({"export", "list", "--account", kOther}).size(), 0U);

    // Expired: refused, then removed with its file by the cleanup.
    const auto file =
        sql("SELECT file_path FROM exports WHERE export_id = $1", {std::to_string(id)});
    EXPECT_TRUE(std::filesystem::exists(file));
    sql("UPDATE exports SET expires_at = now() - interval '1 second'");
    EXPECT_EQ(fetch(token, kOwner, out).exit_code, 1);
    EXPECT_EQ(mailadm_json({"export", "cleanup"})["expired"], 1);
    EXPECT_FALSE(std::filesystem::exists(file));
    EXPECT_EQ(sql_rows("SELECT 1 FROM exports"), 0);

    // Deleted: final.
    const auto second = request(kOwner);
    mailadm_json({"export", "run"});
    const auto second_id = mailadm_json({"export", "list"})[0]["id"].get<std::int64_t>();
    EXPECT_EQ(mailadm_json({"export", "delete", std::to_string(second_id)})["deleted"], true);
    EXPECT_EQ(fetch(second, kOwner, out).exit_code, 1);
    EXPECT_EQ(mailadm({"export", "delete", std::to_string(second_id)}).exit_code, 1);
    EXPECT_EQ(sql_rows("SELECT 1 FROM audit_log WHERE action = 'export.delete'"), 1);
}

TEST_F(ExportCommandsTest, LockedAndRetiredAccountsAreRefused) {
    deliver(kOwner, "INBOX", "Subject: x\r\n\r\nx\r\n");
    const auto token = request(kOwner);
    mailadm_json({"export", "run"});
    for (const auto* state : {"locked", "retired"}) {
        sql("UPDATE accounts SET state = $2 WHERE address = $1", {kOwner, state});
        EXPECT_EQ(mailadm({"export", "request", "--account", kOwner}).exit_code, 1) << state;
        EXPECT_EQ(fetch(token, kOwner, (dir_ / "x.zip").string()).exit_code, 1) << state;
    }
    // A request queued before the lock is not built.
    sql("UPDATE accounts SET state = 'active' WHERE address = $1", {kOwner});
    request(kOwner);
    sql("UPDATE accounts SET state = 'locked' WHERE address = $1", {kOwner});
    const auto round = mailadm({"--json", "export", "run"});
    ASSERT_EQ(round.exit_code, 0) << round.out << round.err;
    EXPECT_EQ(json::parse(round.out)["failed"], 1);
    EXPECT_EQ(sql_rows("SELECT 1 FROM exports WHERE state = 'failed'"), 1);
}

TEST_F(ExportCommandsTest, AClaimedExportIsSkippedByOtherWorkers) {
    deliver(kOwner, "INBOX", "Subject: x\r\n\r\nx\r\n");
    request(kOwner);
    // Another worker holds the row, as a build in progress does.
    PGconn* other = PQconnectdb(dsn_.c_str());
    ASSERT_EQ(PQstatus(other), CONNECTION_OK);
    PQclear(PQexec(other, "BEGIN"));
    PGresult* held = PQexec(other, "SELECT 1 FROM exports FOR UPDATE");
    EXPECT_EQ(PQntuples(held), 1);
    PQclear(held);
    const auto skipped = mailadm_json({"export", "run"});
    EXPECT_EQ(skipped["built"], 0);
    EXPECT_EQ(sql("SELECT state FROM exports"), "pending");
    // That worker ends without finishing (it died): the export is still pending and built.
    PQfinish(other);
    EXPECT_EQ(mailadm_json({"export", "run"})["built"], 1);
    EXPECT_EQ(sql("SELECT state FROM exports"), "ready");
}

}  // namespace
}  // namespace govmail::test
