#include "storage/export_store.hpp"

#include "storage/audited.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/exports.hpp"

namespace govmail::storage {
namespace {

ExportRecord read_export(const PgResult& r, int row) {
    ExportRecord e;
    e.account = r.int64(row, 0);
    e.id = r.int64(row, 1);
    e.address = r.text(row, 2);
    if (!r.is_null(row, 3)) {
        e.mailboxes = r.text_array(row, 3);
    }
    e.state = r.text(row, 4);
    e.file_path = r.optional_text(row, 5);
    e.size = optional_int64(r, row, 6);
    e.created_at = r.int64(row, 7);
    e.expires_at = r.int64(row, 8);
    e.expired = r.boolean(row, 9);
    return e;
}

}  // namespace

ExportStore::Task<ExportRecord> ExportStore::create(
    AccountId account,
    std::string token_sha256,
    std::optional<std::vector<std::string>> mailboxes,
    int lifetime_days,
    const AuditOf<ExportRecord>& audit
) {
    Params params(account);
    params.add(Binary{token_sha256});
    if (mailboxes) {
        params.add(*mailboxes);
    } else {
        params.add(std::nullopt);
    }
    params.add(lifetime_days);
    co_return co_await one_row_audited(pool_, sql::kCreateExport, params, read_export, audit);
}

ExportStore::Task<std::vector<ExportRecord>> ExportStore::list(std::optional<AccountId> account) {
    co_return co_await run_all_rows(pool_, sql::kListExports, Params(account), read_export);
}

ExportStore::Task<ExportRecord> ExportStore::remove(
    std::int64_t id, const AuditOf<ExportRecord>& audit
) {
    co_return co_await one_row_audited(pool_, sql::kDeleteExport, Params(id), read_export, audit);
}

ExportStore::Task<ExportRecord> ExportStore::find_by_token(std::string token_sha256) {
    Params params;
    params.add(Binary{token_sha256});
    co_return co_await run_one_row(pool_, sql::kFindExportByToken, params, read_export);
}

ExportStore::Task<std::vector<ExportRecord>> ExportStore::remove_expired(
    const AuditOf<ExportRecord>& audit
) {
    co_return co_await in_transaction(
        pool_,
        [&](Connection& conn) -> Task<std::vector<ExportRecord>> {
            auto r = co_await conn.execute(sql::kDeleteExpiredExports, Params());
            if (!r) {
                co_return r.error();
            }
            std::vector<ExportRecord> removed;
            for (int row = 0; row < r->rows(); ++row) {
                removed.push_back(read_export(*r, row));
                if (auto appended = co_await append_audit(conn, audit(removed.back())); !appended) {
                    co_return appended.error();
                }
            }
            co_return removed;
        }
    );
}

ExportStore::Task<ExportClaim> ExportStore::claim() {
    auto conn = co_await pool_.acquire();
    if (!conn) {
        co_return conn.error();
    }
    if (auto begun = co_await (*conn)->execute_script("BEGIN"); !begun) {
        co_return begun.error();
    }
    auto r = co_await (*conn)->execute(sql::kClaimExport, Params());
    if (!r) {
        co_return r.error();
    }
    if (r->empty()) {
        // The pool rolls back a connection given back inside a transaction.
        co_return make_error_code(Errc::NotFound);
    }
    ExportClaim claim{read_export(*r, 0), std::nullopt};
    claim.conn.emplace(std::move(*conn));
    co_return claim;
}

boost::asio::awaitable<Result<void>> ExportStore::finish(
    ExportClaim claim,
    std::optional<std::string> file,
    std::optional<std::int64_t> size,
    std::optional<std::string> mailed_token_sha256
) {
    const std::string state = file ? "ready" : "failed";
    Params params(claim.record.id, state, file, size);
    if (mailed_token_sha256) {
        params.add(Binary{*mailed_token_sha256});
    } else {
        params.add(std::nullopt);
    }
    auto r = co_await (*claim.conn)->execute(sql::kFinishExport, params);
    if (!r) {
        co_return r.error();
    }
    if (auto committed = co_await (*claim.conn)->execute_script("COMMIT"); !committed) {
        co_return committed.error();
    }
    co_return Result<void>{};
}

ExportStore::Task<std::vector<ExportMailbox>> ExportStore::mailboxes(
    AccountId account, std::optional<std::vector<std::string>> names
) {
    Params params(account);
    if (names) {
        params.add(*names);
    } else {
        params.add(std::nullopt);
    }
    co_return co_await run_all_rows(
        pool_, sql::kExportMailboxes, params,
        [](const PgResult& r, int row) {
            return ExportMailbox{r.int64(row, 0), std::string(r.text(row, 1))};
        }
    );
}

ExportStore::Task<std::vector<ExportMessage>> ExportStore::messages(
    AccountId account, MailboxId mailbox
) {
    co_return co_await run_all_rows(
        pool_, sql::kExportMessages, Params(account, mailbox),
        [](const PgResult& r, int row) {
            return ExportMessage{r.int64(row, 0), std::string(r.text(row, 1)), r.int64(row, 2)};
        }
    );
}

}  // namespace govmail::storage
