#pragma once

// The portal's sign-in sessions in PostgreSQL, so any portal process serves any request.
// The store sees only the SHA-256 of a session id, never the id the browser holds.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct PortalSession {
    Account account;
    std::string csrf_token;
};

class PortalSessionStore {
public:
    explicit PortalSessionStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // A session for ACCOUNT that ends after LIFETIME at the latest.
    Task<void> create(
        std::string_view id_sha256,
        AccountId account,
        std::string_view csrf_token,
        std::chrono::seconds lifetime
    );
    // The live session (used within IDLE, not past its end, account active), marked used
    // now. NotFound otherwise.
    Task<PortalSession> use(std::string_view id_sha256, std::chrono::seconds idle);
    Task<void> remove(std::string_view id_sha256);
    // Ends every session of ACCOUNT but the one with KEEP_ID_SHA256 (after a password change).
    Task<void> remove_others(AccountId account, std::string_view keep_id_sha256);
    // Removes the sessions that ended (past their end or unused for IDLE).
    Task<void> remove_ended(std::chrono::seconds idle);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
