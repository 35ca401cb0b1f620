// The self-service use cases against the test database, as mailadm and the portal call them:
// each change is there with its audit entry, refused input changes nothing, and the
// stricter of the two old rules holds (device names up to 100 bytes, export mailboxes that
// exist, each once).

#include "selfservice/app_passwords.hpp"
#include "selfservice/away.hpp"
#include "selfservice/exports.hpp"
#include "selfservice/password.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

class UseCaseTest : public StorageTest {
protected:
    const selfservice::Actor actor{"admin", "mailadm", std::nullopt};

    // "action|actor|method|detail" of ACCOUNT's audit entries, oldest first.
    std::vector<std::string> audit_of(const storage::Account& account) {
        static constexpr storage::Statement kEntries{
            "test_use_case_audit",
            "SELECT action || '|' || actor || '|' || method || '|' || detail FROM audit_log"
            " WHERE account_id = $1 ORDER BY audit_id",
        };
        return ok(storage::run_all_rows(
            pool, kEntries, storage::Params(account.id),
            [](const storage::PgResult& r, int row) { return std::string(r.text(row, 0)); }
        ));
    }
};

TEST_F(UseCaseTest, AppPasswordsAreCreatedAndRevokedWithTheirEntries) {
    const auto account = new_account();
    const auto created = ok(selfservice::create_app_password(pool, actor, account.id, "office PC"));
    EXPECT_FALSE(created.secret.empty());
    ok(selfservice::revoke_app_password(pool, actor, account.id, created.record.id));
    const auto id = std::to_string(created.record.id);
    EXPECT_EQ(
        audit_of(account), (std::vector<std::string>{
                               "app-password.create|admin|mailadm|id " + id + " (office PC)",
                               "app-password.revoke|admin|mailadm|id " + id + " (office PC)"})
    );
    EXPECT_EQ(
        run(selfservice::revoke_app_password(pool, actor, account.id, created.record.id)).error(),
        make_error_code(storage::Errc::NotFound)
    );
}

TEST_F(UseCaseTest, ADeviceNameOverOneHundredBytesIsRefused) {
    const auto account = new_account();
    const auto refused =
        run(selfservice::create_app_password(pool, actor, account.id, std::string(101, 'd')));
    EXPECT_EQ(refused.error(), make_error_code(storage::Errc::InvalidData));
    EXPECT_TRUE(ok(storage::CredentialStore(pool).list_app_passwords(account.id)).empty());
    EXPECT_TRUE(audit_of(account).empty());
}

TEST_F(UseCaseTest, AnAwayReplyIsSetChecked) {
    const auto account = new_account();
    storage::AutoReplySetting setting;
    setting.account = account.id;
    EXPECT_EQ(  // no text
        run(selfservice::set_away(pool, actor, setting)).error(),
        make_error_code(storage::Errc::InvalidData)
    );
    setting.body = "Back on Monday.";
    ok(selfservice::set_away(pool, actor, setting));
    EXPECT_TRUE(ok(storage::AutoReplyStore(pool).find(account.id)).enabled);
    EXPECT_TRUE(ok(selfservice::switch_away_off(pool, actor, account.id)));
    EXPECT_FALSE(ok(selfservice::switch_away_off(pool, actor, account.id)));
    EXPECT_EQ(
        audit_of(account),
        (std::vector<std::string>{
            "autoreply.set|admin|mailadm|on, all senders, once per sender every 7 day(s)",
            "autoreply.off|admin|mailadm|switched off"})
    );
}

TEST_F(UseCaseTest, ExportsNameExistingMailboxesOnce) {
    const auto account = new_account();
    const std::vector<std::string> unknown{"INBOX", "Nowhere"};
    EXPECT_EQ(ok(selfservice::unknown_mailbox(pool, account.id, unknown)), "Nowhere");
    EXPECT_EQ(
        run(selfservice::request_export(pool, actor, account.id, unknown)).error(),
        make_error_code(storage::Errc::InvalidData)
    );
    const std::vector<std::string> twice{"INBOX", "INBOX"};
    const auto requested = ok(selfservice::request_export(pool, actor, account.id, twice));
    EXPECT_EQ(requested.record.mailboxes, std::vector<std::string>{"INBOX"});
    EXPECT_EQ(requested.token.size(), 64U);
    ok(selfservice::delete_export(pool, actor, requested.record.id));
    EXPECT_TRUE(ok(storage::ExportStore(pool).list(account.id)).empty());
    const auto id = std::to_string(requested.record.id);
    EXPECT_EQ(
        audit_of(account), (std::vector<std::string>{
                               "export.request|admin|mailadm|export " + id,
                               "export.delete|admin|mailadm|export " + id})
    );
}

TEST_F(UseCaseTest, APasswordIsStoredUnderTheSettersAction) {
    const auto account = new_account();
    const selfservice::Actor owner{account.address, "portal", "192.0.2.7"};
    ok(selfservice::store_password(
        pool, actor, account.id, "$phc$1", selfservice::PasswordSetter::Administrator, "set"
    ));
    ok(selfservice::store_password(
        pool, owner, account.id, "$phc$2", selfservice::PasswordSetter::Owner, "changed"
    ));
    EXPECT_EQ(ok(storage::CredentialStore(pool).password_hash(account.id)), "$phc$2");
    EXPECT_EQ(
        audit_of(account), (std::vector<std::string>{
                               "account.password|admin|mailadm|set",
                               "password.change|" + account.address + "|portal|changed"})
    );
}

}  // namespace
}  // namespace govmail::test
