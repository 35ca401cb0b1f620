#include "storage/lifecycle_store.hpp"

#include "storage/account_state.hpp"
#include "storage/audited.hpp"
#include "storage/body_cleanup.hpp"
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

}  // namespace

boost::asio::awaitable<Result<std::vector<Account>>> retire_accounts(
    Connection& conn, std::vector<AccountId> accounts, const RetireeReply& reply
) {
    auto retired = co_await conn.execute(sql::kRetireAccounts, Params(accounts));
    if (!retired) {
        co_return retired.error();
    }
    std::vector<Account> out;
    std::vector<AccountId> ids;
    for (int row = 0; row < retired->rows(); ++row) {
        out.push_back(Account{
            retired->int64(row, 0), std::string(retired->text(row, 1)), AccountState::Retired,
            std::string(retired->text(row, 3))});
        ids.push_back(out.back().id);
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

LifecycleStore::Task<std::vector<Account>> LifecycleStore::retire(
    AccountId account, const RetireeReply& reply, const AuditEntry& audit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<std::vector<Account>> {
        auto retired = co_await retire_accounts(conn, std::vector<AccountId>(1, account), reply);
        if (!retired || retired->empty()) {
            co_return retired;
        }
        if (auto appended = co_await append_audit(conn, audit); !appended) {
            co_return appended.error();
        }
        co_return retired;
    });
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
        result.bodies_deleted = freed->count;
        result.bytes_freed = freed->bytes;
        result.export_files = files->column_text(0);
        if (auto appended = co_await append_audit(conn, audit(result)); !appended) {
            co_return appended.error();
        }
        co_return result;
    });
}

}  // namespace govmail::storage
