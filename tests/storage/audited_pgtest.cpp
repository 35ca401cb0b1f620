// A change and its audit entry commit together: when the entry cannot be written (here its
// source is no IP address, which the audit_log's inet column refuses), the change is undone
// and the caller gets the error; when it can, both are there.

#include <random>

#include "storage/autoreply_store.hpp"
#include "storage/credential_store.hpp"
#include "storage/export_store.hpp"
#include "storage/pg/query.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

class AuditedTest : public StorageTest {
protected:
    static storage::AuditEntry entry(const storage::Account& account, std::string source) {
        return storage::AuditEntry{"tester",          "test.change", account.id,
                                   std::move(source), "test",        "detail"};
    }
    // An entry the audit log refuses: its source is no IP address.
    static storage::AuditEntry unwritable(const storage::Account& account) {
        return entry(account, "not an address");
    }
    static storage::AuditEntry writable(const storage::Account& account) {
        return entry(account, "192.0.2.1");
    }

    // 32 random bytes: digests are unique across the whole (reused) test database.
    static std::string random_digest() {
        std::random_device random;
        std::string out(32, '\0');
        for (auto& c : out) {
            c = static_cast<char>(random() & 0xFF);
        }
        return out;
    }

    std::int64_t audited(const storage::Account& account) {
        static constexpr storage::Statement kCount{
            "test_count_audit", "SELECT count(*) FROM audit_log WHERE account_id = $1"};
        return ok(storage::run_one_row(
            pool, kCount, storage::Params(account.id),
            [](const storage::PgResult& r, int row) { return r.int64(row, 0); }
        ));
    }
};

TEST_F(AuditedTest, AnAppPasswordWhoseEntryFailsIsNotCreated) {
    const auto account = new_account();
    storage::CredentialStore credentials(pool);
    const auto refused = run(credentials.create_app_password(
        account.id, "phone", random_digest(),
        [&](const storage::AppPassword&) { return unwritable(account); }
    ));
    EXPECT_FALSE(refused);
    EXPECT_TRUE(ok(credentials.list_app_passwords(account.id)).empty());
    EXPECT_EQ(audited(account), 0);

    const auto created = ok(credentials.create_app_password(
        account.id, "phone", random_digest(),
        [&](const storage::AppPassword&) { return writable(account); }
    ));
    EXPECT_EQ(audited(account), 1);
    EXPECT_FALSE(run(credentials.revoke_app_password(
        account.id, created.id, [&](const storage::AppPassword&) { return unwritable(account); }
    )));
    EXPECT_FALSE(ok(credentials.list_app_passwords(account.id)).at(0).revoked_at);
}

TEST_F(AuditedTest, APasswordWhoseEntryFailsIsNotStored) {
    const auto account = new_account();
    storage::CredentialStore credentials(pool);
    EXPECT_FALSE(run(credentials.set_password_hash(account.id, "$phc$new", unwritable(account))));
    EXPECT_EQ(ok(credentials.password_hash(account.id)), std::nullopt);
    ok(credentials.set_password_hash(account.id, "$phc$new", writable(account)));
    EXPECT_EQ(ok(credentials.password_hash(account.id)), "$phc$new");
    EXPECT_EQ(audited(account), 1);
}

TEST_F(AuditedTest, AnAwayReplyWhoseEntryFailsStaysAsItWas) {
    const auto account = new_account();
    storage::AutoReplyStore replies(pool);
    storage::AutoReplySetting setting;
    setting.account = account.id;
    setting.body = "Back soon.";
    EXPECT_FALSE(run(replies.set(setting, unwritable(account))));
    EXPECT_FALSE(run(replies.find(account.id)));

    ok(replies.set(setting, writable(account)));
    EXPECT_FALSE(run(replies.off(account.id, unwritable(account))));
    EXPECT_TRUE(ok(replies.find(account.id)).enabled);
    EXPECT_TRUE(ok(replies.off(account.id, writable(account))));
    EXPECT_FALSE(ok(replies.off(account.id, unwritable(account))));  // off already: no entry
    EXPECT_EQ(audited(account), 2);
}

TEST_F(AuditedTest, AnExportWhoseEntryFailsIsNotQueued) {
    const auto account = new_account();
    storage::ExportStore exports(pool);
    const auto refuse = [&](const storage::ExportRecord&) { return unwritable(account); };
    EXPECT_FALSE(run(exports.create(account.id, random_digest(), std::nullopt, 30, refuse)));
    EXPECT_TRUE(ok(exports.list(account.id)).empty());

    const auto created = ok(exports.create(
        account.id, random_digest(), std::nullopt, 30,
        [&](const storage::ExportRecord&) { return writable(account); }
    ));
    EXPECT_FALSE(run(exports.remove(created.id, refuse)));
    EXPECT_EQ(ok(exports.list(account.id)).size(), 1U);
    EXPECT_EQ(audited(account), 1);
}

}  // namespace
}  // namespace govmail::test
