#include "storage/portal_session_store.hpp"

#include "storage/pg/query.hpp"
#include "storage/sql/portal_sessions.hpp"

namespace govmail::storage {

namespace {

Result<void> done(const Result<PgResult>& r) {
    if (!r) {
        return r.error();
    }
    return {};
}

}  // namespace

PortalSessionStore::Task<void> PortalSessionStore::create(
    std::string_view id_sha256,
    AccountId account,
    std::string_view csrf_token,
    std::chrono::seconds lifetime
) {
    const auto r = co_await run_statement(
        pool_, sql::kInsertPortalSession,
        Params(Binary{id_sha256}, account, csrf_token, static_cast<std::int64_t>(lifetime.count()))
    );
    co_return done(r);
}

PortalSessionStore::Task<PortalSession> PortalSessionStore::use(
    std::string_view id_sha256, std::chrono::seconds idle
) {
    co_return co_await run_one_row(
        pool_, sql::kTouchPortalSession,
        Params(Binary{id_sha256}, static_cast<std::int64_t>(idle.count())),
        [](const PgResult& r, int row) {
            return PortalSession{
                Account{
                    r.int64(row, 0), std::string(r.text(row, 1)), AccountState::Active,
                    std::string(r.text(row, 2))},
                std::string(r.text(row, 3))};
        }
    );
}

PortalSessionStore::Task<void> PortalSessionStore::remove(std::string_view id_sha256) {
    const auto r =
        co_await run_statement(pool_, sql::kDeletePortalSession, Params(Binary{id_sha256}));
    co_return done(r);
}

PortalSessionStore::Task<void> PortalSessionStore::remove_others(
    AccountId account, std::string_view keep_id_sha256
) {
    const auto r = co_await run_statement(
        pool_, sql::kDeleteOtherPortalSessions, Params(account, Binary{keep_id_sha256})
    );
    co_return done(r);
}

PortalSessionStore::Task<void> PortalSessionStore::remove_ended(std::chrono::seconds idle) {
    const auto r = co_await run_statement(
        pool_, sql::kDeleteEndedPortalSessions, Params(static_cast<std::int64_t>(idle.count()))
    );
    co_return done(r);
}

}  // namespace govmail::storage
