#include "storage/lifecycle_store.hpp"

#include "storage/audited.hpp"
#include "storage/body_cleanup.hpp"
#include "storage/mailstore_rows.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/lifecycle.hpp"

namespace govmail::storage {
namespace {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

// Runs STMT with PARAMS for its effect only.
Task<void> run(Connection& conn, const Statement& stmt, const Params& params) {
    if (auto r = co_await conn.execute(stmt, params); !r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

// Runs CHANGE (retire_accounts or reinstate_accounts) on ACCOUNT and appends AUDIT when it
// changed it, in one transaction.
template <class Change>
Task<std::vector<Account>> changed_audited(
    Pool& pool, AccountId account, const AuditEntry& audit, Change change
) {
    co_return co_await in_transaction(pool, [&](Connection& conn) -> Task<std::vector<Account>> {
        auto changed = co_await change(conn, std::vector<AccountId>(1, account));
        if (!changed || changed->empty()) {
            co_return changed;
        }
        if (auto appended = co_await append_audit(conn, audit); !appended) {
            co_return appended.error();
        }
        co_return changed;
    });
}

}  // namespace

boost::asio::awaitable<Result<std::vector<Account>>> retire_accounts(
    Connection& conn, std::vector<AccountId> accounts, const RetireeReply& reply
) {
    auto retired = co_await conn.execute(sql::kRetireAccounts, Params(accounts));
    if (!retired) {
        co_return retired.error();
    }
    auto out = read_accounts(*retired);
    std::vector<AccountId> ids;
    for (const auto& account : out) {
        ids.push_back(account.id);
    }
    if (ids.empty()) {
        co_return out;
    }
    const Params these(ids);
    if (auto r = co_await run(conn, sql::kRevokeAccountsCertificates, these); !r) {
        co_return r.error();
    }
    if (auto r = co_await run(conn, sql::kRetireeAutoreply, Params(ids, reply.subject, reply.body));
        !r) {
        co_return r.error();
    }
    co_return out;
}

boost::asio::awaitable<Result<std::vector<Account>>> reinstate_accounts(
    Connection& conn, std::vector<AccountId> accounts
) {
    auto reinstated = co_await conn.execute(sql::kReinstateAccounts, Params(accounts));
    if (!reinstated) {
        co_return reinstated.error();
    }
    auto out = read_accounts(*reinstated);
    std::vector<AccountId> ids;
    for (const auto& account : out) {
        ids.push_back(account.id);
    }
    if (ids.empty()) {
        co_return out;
    }
    if (auto r = co_await run(conn, sql::kEndRetireeAutoreply, Params(ids)); !r) {
        co_return r.error();
    }
    co_return out;
}

LifecycleStore::Task<std::vector<Account>> LifecycleStore::retire(
    AccountId account, const RetireeReply& reply, const AuditEntry& audit
) {
    co_return co_await changed_audited(
        pool_, account, audit,
        [&reply](Connection& conn, std::vector<AccountId> ids) {
            return retire_accounts(conn, std::move(ids), reply);
        }
    );
}

LifecycleStore::Task<std::vector<Account>> LifecycleStore::reinstate(
    AccountId account, const AuditEntry& audit
) {
    co_return co_await changed_audited(pool_, account, audit, reinstate_accounts);
}

LifecycleStore::Task<DeletedAccount> LifecycleStore::delete_account(
    AccountId account, const AuditOf<DeletedAccount>& audit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<DeletedAccount> {
        const Params params(account);
        auto bodies = co_await conn.execute(sql::kAccountBodies, params);
        if (!bodies) {
            co_return bodies.error();
        }
        auto files = co_await conn.execute(sql::kAccountExportFiles, params);
        if (!files) {
            co_return files.error();
        }
        if (auto r = co_await run(conn, sql::kDeleteAccountQueue, params); !r) {
            co_return r.error();
        }
        auto deleted = co_await conn.execute(sql::kDeleteAccount, params);
        if (!deleted) {
            co_return deleted.error();
        }
        if (deleted->empty()) {
            co_return make_error_code(Errc::NotFound);
        }
        auto freed = co_await delete_unused_bodies(conn, bodies->column_text(0));
        if (!freed) {
            co_return freed.error();
        }
        DeletedAccount result;
        result.address = deleted->text(0, 0);
        result.name = deleted->text(0, 1);
        result.unit = deleted->text(0, 2);
        result.bodies_deleted = freed->count;
        result.bytes_freed = freed->bytes;
        result.export_files = files->column_text(0);
        auto entry = audit(result);
        entry.names = AccountNames{result.address, result.name, result.unit};
        if (auto appended = co_await append_audit(conn, entry); !appended) {
            co_return appended.error();
        }
        co_return result;
    });
}

}  // namespace govmail::storage
