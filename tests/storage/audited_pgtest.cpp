// A change and its audit entry commit together: when the entry cannot be written (here its
// source is no IP address, which the audit_log's inet column refuses), the change is undone
// and the caller gets the error; when it can, both are there.

#include <unistd.h>

#include <boost/asio/thread_pool.hpp>
#include <random>

#include "storage/autoreply_store.hpp"
#include "storage/cert_store.hpp"
#include "storage/credential_store.hpp"
#include "storage/export_store.hpp"
#include "storage/migrate.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/signup_store.hpp"
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
        return count(kCount, storage::Params(account.id));
    }

    std::int64_t count(const storage::Statement& stmt, const storage::Params& params) {
        return ok(storage::run_one_row(pool, stmt, params, [](const storage::PgResult& r, int row) {
            return r.int64(row, 0);
        }));
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

TEST_F(AuditedTest, AnAccountWhoseEntryFailsIsNotCreated) {
    const auto address = unique_address("audited");
    const auto refused = run(store.create_account(
        storage::NewAccount{address, "Kim", false},
        [&](const storage::Account& made) { return unwritable(made); }
    ));
    EXPECT_FALSE(refused);
    EXPECT_EQ(run(store.find_account(address)).error(), make_error_code(storage::Errc::NotFound));

    const auto created = ok(store.create_account(
        storage::NewAccount{address, "Kim", false},
        [&](const storage::Account& made) { return writable(made); }
    ));
    EXPECT_EQ(ok(store.list_mailboxes(created.id)).size(), 6U);
    EXPECT_EQ(audited(created), 1);
}

TEST_F(AuditedTest, ASignupRequestWhoseEntryFailsIsNotFiled) {
    static constexpr storage::Statement kRequests{
        "test_count_signups", "SELECT count(*) FROM signup_requests WHERE mail_id = $1"};
    static constexpr storage::Statement kEntries{
        "test_count_signup_audit",
        "SELECT count(*) FROM audit_log WHERE action = 'signup.request' AND detail = $1"};
    const auto address = unique_address("signup");
    const auto mail_id = address.substr(0, address.find('@'));
    storage::SignupStore signups(pool);
    const storage::NewSignup signup{std::nullopt, mail_id, std::nullopt, "192.0.2.7"};
    const auto entry = [&](std::string source) {
        return [&, source](const storage::SignupRequest&) {
            return storage::AuditEntry{"tester", "signup.request", std::nullopt,
                                       source,   "test",           mail_id};
        };
    };
    EXPECT_FALSE(run(signups.file(signup, entry("not an address"))));
    EXPECT_EQ(count(kRequests, storage::Params(mail_id)), 0);

    ok(signups.file(signup, entry("192.0.2.1")));
    EXPECT_EQ(count(kRequests, storage::Params(mail_id)), 1);
    EXPECT_EQ(count(kEntries, storage::Params(mail_id)), 1);
}

TEST_F(AuditedTest, ACertificateBindingWhoseEntryFailsStaysAsItWas) {
    const auto account = new_account();
    storage::CertStore certs(pool);
    const auto refuse = [&](const storage::CertBinding&) { return unwritable(account); };
    const auto accept = [&](const storage::CertBinding&) { return writable(account); };
    const storage::CertificateKey key{"CN=Test CA", "0A1B", random_digest()};
    const storage::NewCertBinding binding{account.id,    key,           {},           "CN=Kim",
                                          1'700'000'000, 1'800'000'000, std::nullopt, true};
    EXPECT_FALSE(run(certs.bind(binding, refuse)));
    EXPECT_TRUE(ok(certs.list(account.id)).empty());

    const auto held = ok(certs.bind(binding, accept));
    EXPECT_FALSE(run(certs.approve(held.id, refuse)));
    EXPECT_TRUE(ok(certs.find(key, true)).pending);
    ok(certs.approve(held.id, accept));

    EXPECT_FALSE(run(certs.revoke(account.id, std::nullopt, refuse)));
    EXPECT_FALSE(ok(certs.find(key)).revoked_at);
    EXPECT_EQ(ok(certs.revoke(account.id, std::nullopt, accept)).size(), 1U);
    EXPECT_EQ(audited(account), 3);
}

// A database of its own, created empty on the test cluster and dropped at the end.
class EmptyDatabase {
public:
    explicit EmptyDatabase(boost::asio::io_context& ioc)
        : ioc_(ioc), name_("audited_" + std::to_string(::getpid())) {
        admin_ = open(test_dsn());
        script("DROP DATABASE IF EXISTS " + name_);
        script("CREATE DATABASE " + name_);
    }
    ~EmptyDatabase() { script("DROP DATABASE " + name_ + " WITH (FORCE)"); }
    EmptyDatabase(const EmptyDatabase&) = delete;
    EmptyDatabase& operator=(const EmptyDatabase&) = delete;

    std::unique_ptr<storage::Connection> connect() { return open(test_dsn() + " dbname=" + name_); }

private:
    std::unique_ptr<storage::Connection> open(std::string dsn) {
        auto conn = test::run(
            ioc_, storage::Connection::open(
                      ioc_.get_executor(), std::move(dsn), blocking_, std::chrono::seconds(60)
                  )
        );
        if (!conn) {
            throw std::runtime_error("cannot connect: " + conn.error().message());
        }
        return std::move(*conn);
    }
    void script(const std::string& sql) {
        if (!test::run(ioc_, admin_->execute_script(sql))) {
            throw std::runtime_error("failed: " + sql);
        }
    }

    boost::asio::io_context& ioc_;
    boost::asio::thread_pool blocking_{1};
    std::string name_;
    std::unique_ptr<storage::Connection> admin_;
};

TEST_F(AuditedTest, MigrationsWhoseEntryFailsAreNotApplied) {
    EmptyDatabase database(ioc);
    auto conn = database.connect();
    const auto entry = [](std::string source) {
        return [source](const storage::MigrationReport&) {
            return storage::AuditEntry{"tester", "db.migrate", std::nullopt,
                                       source,   "test",       "migrated"};
        };
    };
    static constexpr storage::Statement kTables{
        "test_count_tables", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"};
    EXPECT_FALSE(run(storage::migrate(*conn, entry("not an address"))));
    const auto none = run(conn->execute(kTables, storage::Params{}));
    ASSERT_TRUE(none);
    EXPECT_EQ(none->int64(0, 0), 0);  // every migration was rolled back

    const auto report = run(storage::migrate(*conn, entry("192.0.2.1")));
    ASSERT_TRUE(report) << report.error().message();
    EXPECT_GT(report->applied, 0);
    const auto again = run(storage::migrate(*conn, entry("not an address")));
    ASSERT_TRUE(again);  // nothing applied: no entry to write
    EXPECT_EQ(again->applied, 0);
    static constexpr storage::Statement kEntries{
        "test_count_migrate_audit", "SELECT count(*) FROM audit_log WHERE action = 'db.migrate'"};
    const auto entries = run(conn->execute(kEntries, storage::Params{}));
    ASSERT_TRUE(entries);
    EXPECT_EQ(entries->int64(0, 0), 1);
}

}  // namespace
}  // namespace govmail::test
