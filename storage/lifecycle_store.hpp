#pragma once

// The end of an account's working life. Retirement locks the account out of every login
// method (state 'retired'), revokes its certificate bindings, switches on the retiree away
// reply and tells every daemon to end its sessions (storage/account_events.hpp); mail keeps
// arriving. Reinstatement undoes retirement for a person back in the directory: the account
// logs in again with its mail, folders and address, the away reply goes off, and its
// certificate bindings stay revoked (a fresh certificate login or signup approval makes new
// ones). Deletion removes the account and everything it owned, including message bodies
// nobody else refers to.

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/connection.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

// The away reply a retired account answers with (config [retiree]).
struct RetireeReply {
    std::string subject;
    std::string body;
};

struct DeletedAccount {
    std::string address;
    std::string name;  // the account's display name and unit, for the audit entry
    std::string unit;
    std::int64_t bodies_deleted = 0;  // message bodies no other account or queue used
    std::int64_t bytes_freed = 0;
    std::vector<std::string> export_files;  // backups on disk, for the caller to remove
};

// Retires those of ACCOUNTS not retired yet, inside the caller's transaction; returns them.
boost::asio::awaitable<Result<std::vector<Account>>> retire_accounts(
    Connection& conn, std::vector<AccountId> accounts, const RetireeReply& reply
);

// Reinstates those of ACCOUNTS retired, inside the caller's transaction; returns them.
boost::asio::awaitable<Result<std::vector<Account>>> reinstate_accounts(
    Connection& conn, std::vector<AccountId> accounts
);

class LifecycleStore {
public:
    explicit LifecycleStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // The account retired, or nothing (and no AUDIT entry) when it already was.
    Task<std::vector<Account>> retire(
        AccountId account, const RetireeReply& reply, const AuditEntry& audit
    );
    // The account reinstated, or nothing (and no AUDIT entry) when it was not retired.
    Task<std::vector<Account>> reinstate(AccountId account, const AuditEntry& audit);
    // NotFound: no such account.
    // AUDIT's entry is written in the deleting transaction.
    Task<DeletedAccount> delete_account(AccountId account, const AuditOf<DeletedAccount>& audit);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
