// The portal's sign-in sessions: found by the digest of their id while within both expiries,
// marked used, gone after sign-out.

#include "storage/pg/errc.hpp"
#include "storage/portal_session_store.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

using std::chrono::seconds;

class PortalSessionStoreTest : public StorageTest {
protected:
    storage::PortalSessionStore sessions{pool};

    bool found(std::string_view id, seconds idle = seconds(600)) {
        auto result = run(sessions.use(id, idle));
        if (!result) {
            EXPECT_EQ(result.error(), make_error_code(storage::Errc::NotFound));
        }
        return result.has_value();
    }
};

TEST_F(PortalSessionStoreTest, FindsTheLiveSessionWithItsAccountAndToken) {
    const auto account = new_account();
    const std::string id = unique_address() + std::string(20, '\x01');
    ok(sessions.create(id, account.id, "csrf-token", seconds(3600)));
    const auto session = ok(sessions.use(id, seconds(600)));
    EXPECT_EQ(session.account.id, account.id);
    EXPECT_EQ(session.account.address, account.address);
    EXPECT_EQ(session.csrf_token, "csrf-token");
    EXPECT_FALSE(found(id + "x"));
    ok(sessions.remove(id));
    EXPECT_FALSE(found(id));
}

TEST_F(PortalSessionStoreTest, EndsAtItsLifetimeAndWhenIdle) {
    const auto account = new_account();
    const std::string ended = unique_address() + "-ended";
    ok(sessions.create(ended, account.id, "t", seconds(0)));
    EXPECT_FALSE(found(ended));
    const std::string idle = unique_address() + "-idle";
    ok(sessions.create(idle, account.id, "t", seconds(3600)));
    EXPECT_FALSE(found(idle, seconds(0)));
    EXPECT_TRUE(found(idle));
    ok(sessions.remove_ended(seconds(0)));
    EXPECT_FALSE(found(idle));
}

}  // namespace
}  // namespace govmail::test
