#include "storage/sieve_store.hpp"

#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/sieve.hpp"

namespace govmail::storage {
namespace {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

// Runs a statement that must touch a row; FAILURE when it touched none.
Task<void> run_expecting_row(
    Pool& pool, const Statement& stmt, const Params& params, Errc failure
) {
    auto r = co_await run_statement(pool, stmt, params);
    if (!r) {
        co_return r.error();
    }
    if (r->empty()) {
        co_return make_error_code(failure);
    }
    co_return Result<void>{};
}

}  // namespace

Task<SieveScript> SieveStore::find(AccountId account) {
    co_return co_await run_one_row(
        pool_, sql::kFindSieveScript, Params(account),
        [](const PgResult& r, int row) {
            return SieveScript{
                std::string(r.text(row, 0)), std::string(r.text(row, 1)), r.boolean(row, 2)};
        }
    );
}

Task<void> SieveStore::put(AccountId account, std::string_view name, std::string_view content) {
    co_return co_await run_expecting_row(
        pool_, sql::kPutSieveScript, Params(account, name, content), Errc::Exists
    );
}

Task<void> SieveStore::activate(const AutoReplySetting& s) {
    co_return co_await run_expecting_row(
        pool_, sql::kActivateSieveScript,
        Params(s.account, s.subject, s.body, s.starts_on, s.ends_on).add(s.period_days),
        Errc::NotFound
    );
}

Task<void> SieveStore::deactivate(AccountId account) {
    auto r = co_await run_statement(pool_, sql::kDeactivateSieveScript, Params(account));
    if (!r) {
        co_return r.error();
    }
    co_return Result<void>{};
}

Task<void> SieveStore::rename(AccountId account, std::string_view from, std::string_view to) {
    co_return co_await run_expecting_row(
        pool_, sql::kRenameSieveScript, Params(account, from, to), Errc::NotFound
    );
}

Task<void> SieveStore::remove(AccountId account, std::string_view name) {
    co_return co_await run_expecting_row(
        pool_, sql::kDeleteSieveScript, Params(account, name), Errc::NotFound
    );
}

}  // namespace govmail::storage
